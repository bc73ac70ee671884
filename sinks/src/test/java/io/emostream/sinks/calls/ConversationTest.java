package io.emostream.sinks.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.schema.ConversationDynamics;
import io.emostream.schema.Interruption;
import io.emostream.schema.SpeakerRole;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Over-talk, interruptions and dead air on constructed utterance timings (stream ms). */
class ConversationTest {
    private static final long KEEP = 60_000;

    private record Said(int channel, String role, long startMs, long endMs) {
        String id() {
            return "c/" + channel + "/" + startMs * 16;
        }
    }

    private static Said agent(long startMs, long endMs) {
        return new Said(0, "AGENT", startMs, endMs);
    }

    private static Said customer(long startMs, long endMs) {
        return new Said(1, "CUSTOMER", startMs, endMs);
    }

    private static Conversation heard(List<Said> utterances) {
        Conversation conversation = new Conversation();
        utterances.forEach(said -> conversation.add(said.channel(), said.role(), said.startMs(), said.endMs(), said.id(), KEEP));
        return conversation;
    }

    private static Interruption cut(SpeakerRole by, SpeakerRole of, int count) {
        return Interruption.newBuilder().setBy(by).setOf(of).setCount(count).build();
    }

    /** A turn taken 200 ms early, a pause, and the customer cutting in on the agent for 2 s. */
    private static final List<Said> CALL = List.of(agent(0, 4_000), customer(3_800, 8_000), agent(9_000, 15_000),
            customer(11_000, 13_000));

    @Test
    void overTalkDeadAirAndAnInterruptionOfATwoChannelCall() {
        ConversationDynamics dynamics = heard(CALL).dynamics();

        assertThat(dynamics.getSpanMs()).isEqualTo(15_000);
        // Speaking at once: 3.8–4.0 s (a turn taken early) and 11–13 s (cutting in); anyone speaking: 0–8 s and 9–15 s.
        assertThat(dynamics.getOverTalkMs()).isEqualTo(2_200);
        assertThat(dynamics.getOverTalkShare()).isEqualTo(2_200 / 14_000.0);
        assertThat(dynamics.getDeadAirMs()).isEqualTo(1_000);
        assertThat(dynamics.getDeadAirShare()).isEqualTo(1_000 / 15_000.0);
        assertThat(dynamics.getLongestDeadAirMs()).isEqualTo(1_000);
        assertThat(dynamics.getInterruptions()).containsExactly(cut(SpeakerRole.CUSTOMER, SpeakerRole.AGENT, 1));
        assertThat(dynamics.getResolutionMs()).isEqualTo(152);
    }

    @Test
    void eventsOutOfOrderAndAReplayGiveTheSameFigures() {
        List<Said> shuffled = List.of(customer(3_800, 8_000), customer(11_000, 13_000), agent(0, 4_000),
                customer(11_000, 13_000), agent(9_000, 15_000), agent(0, 4_000));

        assertThat(heard(shuffled).dynamics()).isEqualTo(heard(CALL).dynamics());
    }

    @Test
    void aBackchannelOrAnOverlapAtTheEndOfATurnIsNoInterruption() {
        Conversation conversation = heard(List.of(agent(0, 6_000),
                customer(2_000, 2_600),   // "mm-hm": 600 ms
                customer(3_000, 3_900),   // 900 ms: still a backchannel
                customer(4_000, 5_000),   // 1 s while the agent goes on for 2 s: an interruption
                customer(5_600, 7_600))); // the agent stops 400 ms later: taking the turn, not cutting in

        ConversationDynamics dynamics = conversation.dynamics();
        assertThat(dynamics.getOverTalkMs()).isEqualTo(600 + 900 + 1_000 + 400);
        assertThat(dynamics.getOverTalkShare()).isEqualTo(2_900 / 7_600.0);
        assertThat(dynamics.getDeadAirMs()).isZero();
        assertThat(dynamics.getLongestDeadAirMs()).isZero();
        assertThat(dynamics.getInterruptions()).containsExactly(cut(SpeakerRole.CUSTOMER, SpeakerRole.AGENT, 1));
        assertThat(conversation.cuts()).singleElement().satisfies(cut -> {
            assertThat(cut.atMs).isEqualTo(4_000);
            assertThat(cut.byUtteranceId).isEqualTo("c/1/64000");
        });
    }

    @Test
    void withThreeChannelsOneCuttingInOnTwoCountsForEach() {
        ConversationDynamics dynamics = heard(List.of(new Said(1, "GUEST", 2_000, 5_000), new Said(2, "GUEST", 3_000, 4_000),
                new Said(0, "HOST", 0, 10_000))).dynamics();

        // Two or more speaking from 2 s to 5 s; the second guest, at 3 s, cuts in on the host and the first guest.
        assertThat(dynamics.getOverTalkMs()).isEqualTo(3_000);
        assertThat(dynamics.getOverTalkShare()).isEqualTo(0.3);
        assertThat(dynamics.getDeadAirMs()).isZero();
        assertThat(dynamics.getInterruptions()).containsExactly(cut(SpeakerRole.GUEST, SpeakerRole.GUEST, 1),
                cut(SpeakerRole.GUEST, SpeakerRole.HOST, 2));
    }

    @Test
    void aMonoCallNeverOverlapsItselfAndItsPausesAreDeadAir() {
        ConversationDynamics dynamics = heard(List.of(new Said(0, "UNKNOWN", 0, 2_000), new Said(0, "UNKNOWN", 2_000, 3_000),
                new Said(0, "UNKNOWN", 1_000, 2_500), new Said(0, "UNKNOWN", 5_000, 6_000))).dynamics();

        assertThat(dynamics.getSpanMs()).isEqualTo(6_000);
        assertThat(dynamics.getOverTalkMs()).isZero();
        assertThat(dynamics.getOverTalkShare()).isZero();
        assertThat(dynamics.getDeadAirMs()).isEqualTo(2_000);
        assertThat(dynamics.getDeadAirShare()).isEqualTo(2_000 / 6_000.0);
        assertThat(dynamics.getLongestDeadAirMs()).isEqualTo(2_000);
        assertThat(dynamics.getInterruptions()).isEmpty();
    }

    @Test
    void nothingHeardHasNoFigures() {
        assertThat(new Conversation().dynamics()).isNull();
    }

    /**
     * Fifteen 20 s exchanges (the agent 8 s, cut in on after 2 s for 1.5 s, a 1 s pause, the customer 6 s, 5 s of
     * quiet), with 40 s more quiet after the eighth: over five minutes, so most of it is settled on the way.
     */
    @Test
    void aLongCallIsSettledAsItGoesWithTheSameTotals() {
        List<Said> call = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            long at = i * 20_000L + (i >= 8 ? 40_000 : 0);
            call.add(customer(at + 2_000, at + 3_500));
            call.add(agent(at, at + 8_000));
            call.add(customer(at + 9_000, at + 15_000));
        }
        Conversation conversation = heard(call);

        ConversationDynamics dynamics = conversation.dynamics();
        assertThat(dynamics.getSpanMs()).isEqualTo(335_000);
        assertThat(dynamics.getOverTalkMs()).isEqualTo(15 * 1_500);
        assertThat(dynamics.getOverTalkShare()).isEqualTo(22_500 / 210_000.0);
        assertThat(dynamics.getDeadAirMs()).isEqualTo(335_000 - 210_000);
        assertThat(dynamics.getLongestDeadAirMs()).as("the 45 s quiet, settled in two parts").isEqualTo(45_000);
        assertThat(dynamics.getInterruptions()).containsExactly(cut(SpeakerRole.CUSTOMER, SpeakerRole.AGENT, 15));
        assertThat(conversation.settledUntilMs).isEqualTo(335_000 - 60_000);
        assertThat(conversation.channels.get(0).speech).hasSize(3);

        conversation.add(1, "CUSTOMER", 1_000, 2_000, "c/1/16000", KEEP);
        assertThat(conversation.dynamics()).as("an utterance whose time was settled long ago changes nothing").isEqualTo(dynamics);
    }

    @Test
    void aChannelHoldsAtMostItsBoundOfStretches() {
        Conversation conversation = new Conversation();
        for (int i = 0; i < 200; i++) {
            conversation.add(0, "AGENT", i * 200L, i * 200L + 100, "c/0/" + i, KEEP);
        }

        assertThat(conversation.channels.get(0).speech).hasSize(Conversation.MAX_STRETCHES);
        ConversationDynamics dynamics = conversation.dynamics();
        assertThat(dynamics.getSpanMs()).isEqualTo(39_900);
        assertThat(dynamics.getDeadAirMs()).isEqualTo(199 * 100);
        assertThat(dynamics.getLongestDeadAirMs()).isEqualTo(100);
    }
}
