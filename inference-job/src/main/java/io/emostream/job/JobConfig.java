package io.emostream.job;

import io.emostream.job.segment.SegmentOperator;
import io.emostream.job.segment.SegmentationRules;
import io.emostream.job.stream.StreamRestorer;
import io.emostream.schema.Topics;
import java.io.Serializable;

/**
 * Where the job reads and writes, and how it treats the audio. One place for the job's settings; the defaults
 * are what {@link #defaults(String)} returns, and every one is in the README's configuration table.
 *
 * @param bounded read only what the topic holds when the job starts, then finish (analysing recordings);
 *                otherwise run forever (live streams)
 */
public record JobConfig(String bootstrapServers, String audioTopic, String deadLetterTopic, String groupId,
                        boolean bounded, StreamRestorer.Settings restore, SegmentationRules segmentation,
                        SegmentOperator.Batching batching) implements Serializable {

    public static JobConfig defaults(String bootstrapServers) {
        return new JobConfig(bootstrapServers, Topics.AUDIO_CHUNKS, Topics.DEAD_LETTER, "emostream-inference", false,
                StreamRestorer.Settings.defaults(), SegmentationRules.defaults(), SegmentOperator.Batching.defaults());
    }

    public JobConfig withTopics(String audio, String deadLetter) {
        return new JobConfig(bootstrapServers, audio, deadLetter, groupId, bounded, restore, segmentation, batching);
    }

    public JobConfig withBounded(boolean bounded) {
        return new JobConfig(bootstrapServers, audioTopic, deadLetterTopic, groupId, bounded, restore, segmentation, batching);
    }

    public JobConfig withGroupId(String groupId) {
        return new JobConfig(bootstrapServers, audioTopic, deadLetterTopic, groupId, bounded, restore, segmentation, batching);
    }
}
