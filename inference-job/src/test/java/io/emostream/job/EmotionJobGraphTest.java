package io.emostream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.job.asr.TranscribeUtterances;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** How the job's graph hands records from one operator to the next, where that decides latency. */
class EmotionJobGraphTest {

    @Test
    void utterancesAreSentOnAtOnceWhileAudioBlocksFillTheirNetworkBuffers() {
        for (TranscribeUtterances.Settings asr : List.of(TranscribeUtterances.Settings.off(),
                TranscribeUtterances.Settings.off().withRecognizer("sphinx"))) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            EmotionJob.build(env, JobConfig.defaults("localhost:9092").withAsr(asr));
            StreamGraph graph = env.getStreamGraph();

            assertThat(inEdges(graph, "cues, model, rationale")).as("utterances, ASR %s", asr.recognizer()).isNotEmpty()
                    .allSatisfy(edge -> assertThat(edge.getBufferTimeout()).isZero());
            assertThat(inEdges(graph, "segment utterances")).as("audio blocks").isNotEmpty()
                    .allSatisfy(edge -> assertThat(edge.getBufferTimeout()).isPositive());
        }
    }

    @Test
    void aBoundedRunSkipsACheckpointThatCannotFinishWhileALiveJobStillFailsOnIt() {
        StreamExecutionEnvironment files = StreamExecutionEnvironment.getExecutionEnvironment();
        EmotionJob.build(files, JobConfig.defaults("localhost:9092").withBounded(true));
        StreamExecutionEnvironment live = StreamExecutionEnvironment.getExecutionEnvironment();
        EmotionJob.build(live, JobConfig.defaults("localhost:9092"));

        assertThat(files.getCheckpointConfig().getTolerableCheckpointFailureNumber()).isEqualTo(Integer.MAX_VALUE);
        assertThat(live.getCheckpointConfig().getTolerableCheckpointFailureNumber()).isZero();
    }

    private static List<StreamEdge> inEdges(StreamGraph graph, String operator) {
        return graph.getStreamNodes().stream().filter(node -> node.getOperatorName().equals(operator))
                .map(StreamNode::getInEdges).flatMap(List::stream).toList();
    }
}
