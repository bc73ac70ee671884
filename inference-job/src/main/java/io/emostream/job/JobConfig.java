package io.emostream.job;

import io.emostream.job.analysis.AnalysisSettings;
import io.emostream.job.asr.TranscribeUtterances;
import io.emostream.job.segment.SegmentOperator;
import io.emostream.job.segment.SegmentationRules;
import io.emostream.job.stream.StreamRestorer;
import io.emostream.schema.Topics;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Where the job reads and writes, and how it treats the audio. One place for the job's settings; the defaults
 * are what {@link #defaults(String)} returns, and every one is in the README's configuration table.
 *
 * @param bounded   read only what the topic holds when the job starts, then finish (analysing recordings);
 *                  otherwise run forever (live streams)
 * @param guarantee of the events sink: AT_LEAST_ONCE (default) shows events at once, and consumers dedupe by
 *                  utterance id; EXACTLY_ONCE shows them only when the checkpoint that wrote them completes
 * @param model     which emotion model labels utterances (see {@link EmotionModels})
 * @param asr       speech recognition: off by default; Sphinx4 embedded
 * @param analysis  how utterances are interpreted: domain priors, phrase rules, roles whose emotion is withheld
 */
public record JobConfig(String bootstrapServers, String audioTopic, String eventsTopic, String streamEndsTopic,
                        String deadLetterTopic, String groupId, boolean bounded, DeliveryGuarantee guarantee,
                        Duration checkpointInterval, String model, TranscribeUtterances.Settings asr,
                        StreamRestorer.Settings restore, SegmentationRules segmentation,
                        SegmentOperator.Batching batching, AnalysisSettings analysis) implements Serializable {

    public static JobConfig defaults(String bootstrapServers) {
        return new JobConfig(bootstrapServers, Topics.AUDIO_CHUNKS, Topics.EMOTION_EVENTS, Topics.STREAM_ENDS,
                Topics.DEAD_LETTER,
                "emostream-inference", false, DeliveryGuarantee.AT_LEAST_ONCE, Duration.ofSeconds(10),
                EmotionModels.DEFAULT, TranscribeUtterances.Settings.off(), StreamRestorer.Settings.defaults(),
                SegmentationRules.defaults(),
                SegmentOperator.Batching.defaults(), AnalysisSettings.defaults());
    }

    public JobConfig withTopics(String audio, String deadLetter) {
        return new JobConfig(bootstrapServers, audio, eventsTopic, streamEndsTopic, deadLetter, groupId,
                bounded, guarantee, checkpointInterval, model, asr, restore, segmentation, batching, analysis);
    }

    public JobConfig withEventsTopic(String events) {
        return new JobConfig(bootstrapServers, audioTopic, events, streamEndsTopic, deadLetterTopic, groupId,
                bounded, guarantee, checkpointInterval, model, asr, restore, segmentation, batching, analysis);
    }

    public JobConfig withStreamEndsTopic(String streamEnds) {
        return new JobConfig(bootstrapServers, audioTopic, eventsTopic, streamEnds, deadLetterTopic, groupId,
                bounded, guarantee, checkpointInterval, model, asr, restore, segmentation, batching, analysis);
    }

    public JobConfig withBounded(boolean bounded) {
        return new JobConfig(bootstrapServers, audioTopic, eventsTopic, streamEndsTopic, deadLetterTopic, groupId,
                bounded, guarantee, checkpointInterval, model, asr, restore, segmentation, batching, analysis);
    }

    public JobConfig withGroupId(String groupId) {
        return new JobConfig(bootstrapServers, audioTopic, eventsTopic, streamEndsTopic, deadLetterTopic, groupId,
                bounded, guarantee, checkpointInterval, model, asr, restore, segmentation, batching, analysis);
    }

    public JobConfig withCheckpointInterval(Duration interval) {
        return new JobConfig(bootstrapServers, audioTopic, eventsTopic, streamEndsTopic, deadLetterTopic, groupId,
                bounded, guarantee, interval, model, asr, restore, segmentation, batching, analysis);
    }

    public JobConfig withAsr(TranscribeUtterances.Settings speech) {
        return new JobConfig(bootstrapServers, audioTopic, eventsTopic, streamEndsTopic, deadLetterTopic, groupId,
                bounded, guarantee, checkpointInterval, model, speech, restore, segmentation, batching, analysis);
    }

    public JobConfig withSegmentation(SegmentationRules rules) {
        return new JobConfig(bootstrapServers, audioTopic, eventsTopic, streamEndsTopic, deadLetterTopic, groupId,
                bounded, guarantee, checkpointInterval, model, asr, restore, rules, batching, analysis);
    }

    public JobConfig withModel(String emotionModel) {
        return new JobConfig(bootstrapServers, audioTopic, eventsTopic, streamEndsTopic, deadLetterTopic, groupId,
                bounded, guarantee, checkpointInterval, emotionModel, asr, restore, segmentation, batching, analysis);
    }

    /** How the voice-activity model batches frames across streams; {@code new Batching(1, 0)} runs one stream per call. */
    public JobConfig withVadBatching(SegmentOperator.Batching vadBatching) {
        return new JobConfig(bootstrapServers, audioTopic, eventsTopic, streamEndsTopic, deadLetterTopic, groupId,
                bounded, guarantee, checkpointInterval, model, asr, restore, segmentation, vadBatching, analysis);
    }

    public JobConfig withGuarantee(DeliveryGuarantee guarantee) {
        return new JobConfig(bootstrapServers, audioTopic, eventsTopic, streamEndsTopic, deadLetterTopic, groupId,
                bounded, guarantee, checkpointInterval, model, asr, restore, segmentation, batching, analysis);
    }

    public JobConfig withAnalysis(AnalysisSettings settings) {
        return new JobConfig(bootstrapServers, audioTopic, eventsTopic, streamEndsTopic, deadLetterTopic, groupId,
                bounded, guarantee, checkpointInterval, model, asr, restore, segmentation, batching, settings);
    }
}
