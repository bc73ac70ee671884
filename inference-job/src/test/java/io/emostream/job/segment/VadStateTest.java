package io.emostream.job.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class VadStateTest {

    @Test
    void aNewStreamStartsFromSilenceAndAZeroState() {
        VadState state = new VadState();

        assertThat(state.getRecurrentState()).hasSize(2 * 128).containsOnly(0f);
        assertThat(state.getContext()).hasSize(SileroVad.CONTEXT_SAMPLES).containsOnly(0f);
    }

    /** Flink falls back to Kryo, silently, for a class that breaks its POJO rules; keyed state must not. */
    @Test
    void flinkKeepsItAsAPojoAndRestoresItExactly() throws IOException {
        TypeInformation<VadState> type = TypeInformation.of(VadState.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);

        VadState state = new VadState();
        for (int i = 0; i < state.getRecurrentState().length; i++) {
            state.getRecurrentState()[i] = i * 0.25f - 3f;
        }
        Arrays.fill(state.getContext(), -0.5f);
        TypeSerializer<VadState> serializer = type.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(2048);
        serializer.serialize(state, out);
        VadState restored = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(restored.getRecurrentState()).containsExactly(state.getRecurrentState());
        assertThat(restored.getContext()).containsExactly(state.getContext());
    }
}
