package io.emostream.sinks;

import static io.emostream.sinks.Events.angry;
import static io.emostream.sinks.Events.calm;
import static io.emostream.sinks.Events.utterance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.emostream.schema.Alert;
import io.emostream.schema.CallSummary;
import io.emostream.schema.DeadLetter;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.Evidence;
import io.emostream.schema.GroupKind;
import io.emostream.schema.GroupSummary;
import io.emostream.schema.RoleSummary;
import io.emostream.schema.Severity;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.StreamEnd;
import io.emostream.schema.StreamEndReason;
import io.emostream.schema.codec.RecordCodec;
import io.emostream.schema.kafka.AvroSerde;
import io.emostream.sinks.calls.CallTracker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Streams topology on Kafka's test driver: summaries, alert rules, replays, bad records, retention. */
class CallsTopologyTest {
    private final SinksConfig config = SinksConfig.defaults("unused:9092");
    private final RecordCodec<EmotionEvent> codec = RecordCodec.of(EmotionEvent.class);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestInputTopic<String, byte[]> streamEnds;
    private TestOutputTopic<String, CallSummary> summaries;
    private TestOutputTopic<String, Alert> alerts;
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private TestOutputTopic<String, GroupSummary> groups;

    @BeforeEach
    void start() {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "sinks-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(CallsTopology.build(config), properties);
        events = driver.createInputTopic(config.eventsTopic(), new StringSerializer(), new ByteArraySerializer());
        streamEnds = driver.createInputTopic(config.streamEndsTopic(), new StringSerializer(), new ByteArraySerializer());
        summaries = driver.createOutputTopic(config.summaryTopic(), new StringDeserializer(),
                AvroSerde.of(CallSummary.class).deserializer());
        alerts = driver.createOutputTopic(config.alertsTopic(), new StringDeserializer(), AvroSerde.of(Alert.class).deserializer());
        deadLetters = driver.createOutputTopic(config.deadLetterTopic(), new StringDeserializer(),
                AvroSerde.of(DeadLetter.class).deserializer());
        groups = driver.createOutputTopic(config.groupsTopic(), new StringDeserializer(), AvroSerde.of(GroupSummary.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void send(EmotionEvent... sent) {
        for (EmotionEvent event : sent) {
            events.pipeInput(event.getCallId(), codec.encode(event));
        }
    }

    @Test
    void everyEventUpdatesItsCallsSummaryPerRole() {
        send(calm("c1", SpeakerRole.AGENT, 0), angry("c1", SpeakerRole.CUSTOMER, 3), calm("c2", SpeakerRole.AGENT, 0),
                utterance("c1", SpeakerRole.CUSTOMER, 6, 9, "sad", 0.1, -0.4));

        List<CallSummary> out = summaries.readValuesToList();
        assertThat(out).extracting(CallSummary::getCallId).containsExactly("c1", "c1", "c2", "c1");
        CallSummary c1 = out.get(3);
        assertThat(c1.getUtterances()).isEqualTo(3);
        assertThat(c1.getLastUtteranceId()).isEqualTo("c1/1/96000");
        RoleSummary customer = c1.getRoles().stream().filter(r -> r.getRole() == SpeakerRole.CUSTOMER).findFirst().orElseThrow();
        assertThat(customer.getUtterances()).isEqualTo(2);
        assertThat(customer.getTalkTimeMs()).isEqualTo(5_000);
        assertThat(customer.getNegativeShare()).isEqualTo(1.0);
        assertThat(customer.getHighArousalShare()).isEqualTo(0.5);
        assertThat(customer.getArousal()).isCloseTo(0.7 + 0.35 * (0.1 - 0.7), within(1e-9));
        assertThat(customer.getCurrentLabel()).isEqualTo("sad");
        assertThat(c1.getEscalationScore()).isGreaterThan(0);
    }

    /** An utterance of a named speaker in a series, at a given minute of event time. */
    private static EmotionEvent named(EmotionEvent event, String speaker, String series, double minute) {
        return EmotionEvent.newBuilder(event).setSpeaker(speaker).setSeries(series)
                .setEmitTimeMs(1_800_000_000_000L + Math.round(minute * 60_000)).build();
    }

    private Map<String, GroupSummary> latestGroups() {
        Map<String, GroupSummary> latest = new java.util.HashMap<>();
        for (var record : groups.readKeyValuesToList()) {
            latest.put(record.key + "@" + record.value.getWindowMinutes(), record.value);
        }
        return latest;
    }

    @Test
    void agentsAreSummedAcrossTheirCallsAndSeriesOverEveryoneInThem() {
        send(named(calm("c1", SpeakerRole.AGENT, 0), "sam", "billing", 0),
                named(angry("c1", SpeakerRole.CUSTOMER, 3), null, "billing", 0.1),
                named(calm("c2", SpeakerRole.AGENT, 0), "sam", "billing", 1),
                named(calm("c3", SpeakerRole.AGENT, 0), "alex", null, 1));

        Map<String, GroupSummary> latest = latestGroups();
        GroupSummary sam = latest.get("agent/sam@15");
        assertThat(sam.getKind()).isEqualTo(GroupKind.AGENT);
        assertThat(sam.getUtterances()).isEqualTo(2);
        assertThat(sam.getCalls()).isEqualTo(2);
        assertThat(sam.getTalkTimeMs()).isEqualTo(4_000);
        GroupSummary billing = latest.get("series/billing@60");
        assertThat(billing.getUtterances()).isEqualTo(3);
        assertThat(billing.getNegativeShare()).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(billing.getArousal()).isCloseTo(0.7 / 3, within(1e-9));
        assertThat(latest).containsKeys("agent/alex@15", "agent/alex@60").doesNotContainKey("series/null@15");
    }

    @Test
    void aWindowHoldsItsLastWholeMinutesAndALateEventChangesNothing() {
        send(named(calm("c1", SpeakerRole.AGENT, 0), "sam", null, 0),
                named(calm("c1", SpeakerRole.AGENT, 10), "sam", null, 14.5));
        Map<String, GroupSummary> fourteenMinutesLater = latestGroups();
        assertThat(fourteenMinutesLater.get("agent/sam@15").getUtterances()).as("minute 0 is 14 minutes before minute 14").isEqualTo(2);

        send(named(calm("c1", SpeakerRole.AGENT, 20), "sam", null, 15.2));
        Map<String, GroupSummary> fifteenMinutesLater = latestGroups();
        assertThat(fifteenMinutesLater.get("agent/sam@15").getUtterances()).as("minute 0 has left the 15 minutes").isEqualTo(2);
        assertThat(fifteenMinutesLater.get("agent/sam@60").getUtterances()).isEqualTo(3);

        send(named(calm("c1", SpeakerRole.AGENT, 30), "sam", null, 140),
                named(calm("c1", SpeakerRole.AGENT, 40), "sam", null, 70));
        List<GroupSummary> out = groups.readValuesToList();
        assertThat(out).hasSize(2).allSatisfy(summary -> assertThat(summary.getUtterances()).as("only the newest").isEqualTo(1));
    }

    @Test
    void aReplayedEventIsNotCountedTwiceInItsGroups() {
        EmotionEvent event = named(calm("c1", SpeakerRole.AGENT, 0), "sam", "billing", 0);
        send(event, event);

        assertThat(groups.readValuesToList()).hasSize(4);
    }

    @Test
    void aReplayedEventChangesNothing() {
        EmotionEvent event = angry("c1", SpeakerRole.CUSTOMER, 3);
        send(event, event, calm("c1", SpeakerRole.CUSTOMER, 6), event);

        List<CallSummary> out = summaries.readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).getUtterances()).isEqualTo(2);
    }

    @Test
    void aCustomerEscalatingRaisesOneAlertPerEpisodeWithItsEvidence() {
        send(calm("c1", SpeakerRole.CUSTOMER, 0), angry("c1", SpeakerRole.CUSTOMER, 3), angry("c1", SpeakerRole.CUSTOMER, 6));
        assertThat(alerts.isEmpty()).as("two in a row are not yet three").isTrue();

        send(angry("c1", SpeakerRole.CUSTOMER, 9), angry("c1", SpeakerRole.CUSTOMER, 12), angry("c1", SpeakerRole.CUSTOMER, 15));
        List<Alert> raised = alerts.readValuesToList();
        assertThat(raised).singleElement().satisfies(alert -> {
            assertThat(alert.getRule()).isEqualTo("customer_escalation");
            assertThat(alert.getAlertId()).isEqualTo("customer_escalation/c1/1/144000");
            assertThat(alert.getRole()).isEqualTo(SpeakerRole.CUSTOMER);
            assertThat(alert.getMessage()).startsWith("Customer escalating: 3 high-arousal utterances in a row, none of them positive");
            assertThat(alert.getEvidence()).extracting(Evidence::getUtteranceId)
                    .containsExactly("c1/1/0", "c1/1/48000", "c1/1/96000", "c1/1/144000");
            assertThat(alert.getEvidence()).allSatisfy(e -> assertThat(e.getTranscriptSnippet()).startsWith("words of"));
        });

        // Calm again: the episode ends once the score has fallen below the reset level.
        for (int i = 0; i < 6; i++) {
            send(calm("c1", SpeakerRole.CUSTOMER, 20 + 3 * i));
        }
        assertThat(alerts.isEmpty()).isTrue();
        send(angry("c1", SpeakerRole.CUSTOMER, 40), angry("c1", SpeakerRole.CUSTOMER, 43), angry("c1", SpeakerRole.CUSTOMER, 46));
        // A new episode: this time the rising score crosses 0.6 at the second angry utterance, before the run of three.
        assertThat(alerts.readValuesToList()).singleElement().satisfies(alert -> {
            assertThat(alert.getAlertId()).isEqualTo("customer_escalation/c1/1/688000");
            assertThat(alert.getMessage()).startsWith("Customer escalating: escalation score rising");
        });
    }

    @Test
    void excitementIsNotEscalationButArousalWithoutWordsIs() {
        for (int i = 0; i < 4; i++) {
            send(utterance("show-1", SpeakerRole.GUEST, 3 * i, 3 * i + 2, "happy", 0.8, 0.6));
            // No transcript: valence 0, so arousal alone decides.
            send(utterance("call-2", SpeakerRole.CUSTOMER, 3 * i, 3 * i + 2, "surprised", 0.6, 0.0));
        }

        assertThat(alerts.readValuesToList()).extracting(Alert::getCallId).containsExactly("call-2");
    }

    @Test
    void anAngryAgentDoesNotCountAsAnEscalatingCustomer() {
        for (int i = 0; i < 5; i++) {
            send(angry("c1", SpeakerRole.AGENT, 3 * i));
        }

        assertThat(alerts.readValuesToList()).noneMatch(alert -> alert.getRule().equals("customer_escalation"));
    }

    @Test
    void aLongSilenceIsRaisedOnceAndALateUtteranceDoesNotOpenOne() {
        send(calm("c1", SpeakerRole.AGENT, 0), calm("c1", SpeakerRole.CUSTOMER, 2.5),
                calm("c1", SpeakerRole.AGENT, 30), utterance("c1", SpeakerRole.CUSTOMER, 10, 12, "neutral", 0, 0),
                calm("c1", SpeakerRole.CUSTOMER, 33));

        assertThat(alerts.readValuesToList()).singleElement().satisfies(alert -> {
            assertThat(alert.getRule()).isEqualTo("long_silence");
            assertThat(alert.getSeverity()).isEqualTo(Severity.INFO);
            assertThat(alert.getMessage()).isEqualTo("Nobody spoke for 26 s (from 0:04 to 0:30 into the call).");
            assertThat(alert.getEvidence()).extracting(Evidence::getUtteranceId).containsExactly("c1/1/40000", "c1/0/480000");
        });
    }

    @Test
    void anAgentsArousalSpikingAboveTheirUsualIsRaisedOncePerEpisode() {
        send(calm("c1", SpeakerRole.AGENT, 0), calm("c1", SpeakerRole.AGENT, 3),
                utterance("c1", SpeakerRole.AGENT, 6, 8, "happy", 0.9, 0.6));
        assertThat(alerts.isEmpty()).as("two utterances do not yet make the agent's usual").isTrue();

        send(calm("c1", SpeakerRole.AGENT, 9), calm("c1", SpeakerRole.AGENT, 12),
                angry("c1", SpeakerRole.AGENT, 15), angry("c1", SpeakerRole.AGENT, 18));

        assertThat(alerts.readValuesToList()).singleElement().satisfies(alert -> {
            assertThat(alert.getRule()).isEqualTo("agent_arousal_spike");
            assertThat(alert.getAlertId()).isEqualTo("agent_arousal_spike/c1/0/240000");
            assertThat(alert.getRole()).isEqualTo(SpeakerRole.AGENT);
        });
    }

    @Test
    void aRecordThatIsNotAnEventGoesToTheDeadLetterTopicAndTheNextOneIsStillCounted() {
        events.pipeInput("c1", "not an event".getBytes(StandardCharsets.UTF_8));
        events.pipeInput("c1", (byte[]) null);
        send(calm("c1", SpeakerRole.AGENT, 0));

        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertThat(letters).hasSize(2).allSatisfy(letter -> {
            assertThat(letter.getStage()).isEqualTo("sinks/calls");
            assertThat(letter.getReason()).startsWith("not an EmotionEvent: ");
            assertThat(letter.getSourceTopic()).isEqualTo(config.eventsTopic());
        });
        assertThat(StandardCharsets.UTF_8.decode(letters.get(0).getOriginalValue()).toString()).isEqualTo("not an event");
        assertThat(summaries.readValuesToList()).singleElement().satisfies(s -> assertThat(s.getUtterances()).isEqualTo(1));
    }

    @Test
    void aCallQuietForTheRetentionTimeIsForgottenOnceStreamTimeHasMovedOn() {
        long start = 1_800_000_000_000L;
        sendAt(start, calm("c1", SpeakerRole.AGENT, 0));
        KeyValueStore<String, CallTracker> calls = driver.getKeyValueStore(CallsTopology.CALLS_STORE);

        driver.advanceWallClockTime(config.callRetention().multipliedBy(2));
        assertThat(calls.get("c1")).as("wall-clock time alone, as when catching up on a backlog").isNotNull();
        sendAt(start + config.callRetention().minusMinutes(2).toMillis(), calm("c2", SpeakerRole.AGENT, 0));
        assertThat(calls.get("c1")).as("quiet for less than the retention time").isNotNull();
        sendAt(start + config.callRetention().plusMinutes(2).toMillis(), calm("c3", SpeakerRole.AGENT, 0));
        assertThat(calls.get("c1")).isNull();
        assertThat(calls.get("c3")).isNotNull();
    }

    /** The job saying that channel {@code channel} of {@code call} ended {@code endS} seconds into it. */
    private void end(String call, int channel, Integer channels, double endS, long atMs) {
        StreamEnd end = StreamEnd.newBuilder().setCallId(call).setChannel(channel)
                .setRole(channel == 0 ? SpeakerRole.AGENT : SpeakerRole.CUSTOMER).setSource("test:" + call)
                .setChannels(channels).setReason(StreamEndReason.END_OF_STREAM).setEndMs(Math.round(endS * 1000))
                .setEndTimeMs(atMs).build();
        streamEnds.pipeInput(call, RecordCodec.of(StreamEnd.class).encode(end));
    }

    @Test
    void aCallEndsWhenEveryChannelItDeclaredHasEndedAndItsSummarySaysWhen() {
        send(calm("c1", SpeakerRole.AGENT, 0), angry("c1", SpeakerRole.CUSTOMER, 3));
        summaries.readValuesToList();

        end("c1", 0, 2, 6.0, 5_000);
        assertThat(summaries.readValuesToList()).as("the customer's channel is still live").isEmpty();
        end("c1", 0, 2, 6.0, 5_100);
        assertThat(summaries.readValuesToList()).as("a repeated end (at-least-once) says nothing new").isEmpty();
        end("c1", 1, 2, 6.2, 5_200);

        CallSummary ended = summaries.readValuesToList().get(0);
        assertThat(ended.getEndedAtMs()).isEqualTo(5_200L);
        assertThat(ended.getUtterances()).isEqualTo(2);
        end("c1", 1, 2, 6.2, 5_300);
        assertThat(summaries.readValuesToList()).as("ended once").isEmpty();
    }

    @Test
    void aDeclaredChannelThatHasNotSpokenYetKeepsTheCallLive() {
        send(calm("c1", SpeakerRole.AGENT, 0));
        summaries.readValuesToList();

        end("c1", 0, 2, 4.0, 5_000);

        assertThat(summaries.readValuesToList()).isEmpty();
        send(angry("c1", SpeakerRole.CUSTOMER, 5));
        assertThat(summaries.readValuesToList()).singleElement().satisfies(s -> assertThat(s.getEndedAtMs()).isNull());
    }

    @Test
    void withoutADeclaredCountEveryChannelHeardFromMustEnd() {
        send(calm("c1", SpeakerRole.AGENT, 0), angry("c1", SpeakerRole.CUSTOMER, 3));
        summaries.readValuesToList();

        end("c1", 1, null, 6.0, 5_000);
        assertThat(summaries.readValuesToList()).as("the agent has not ended").isEmpty();
        end("c1", 0, null, 6.0, 5_100);

        assertThat(summaries.readValuesToList()).singleElement().satisfies(s -> assertThat(s.getEndedAtMs()).isEqualTo(5_100L));
    }

    @Test
    void aLateEventLeavesTheCallEndedAndAStreamThatResumesMakesItLiveAgain() {
        send(calm("c1", SpeakerRole.AGENT, 0));
        end("c1", 0, 1, 10.0, 5_000);
        summaries.readValuesToList();

        // The utterance cut at the end, analysed after the end was announced.
        send(angry("c1", SpeakerRole.AGENT, 8));
        CallSummary late = summaries.readValuesToList().get(0);
        assertThat(late.getUtterances()).isEqualTo(2);
        assertThat(late.getEndedAtMs()).isEqualTo(5_000L);

        // The stream went idle, then its audio came back: speech after where it ended.
        send(calm("c1", SpeakerRole.AGENT, 12));
        assertThat(summaries.readValuesToList()).singleElement().satisfies(s -> assertThat(s.getEndedAtMs()).isNull());
    }

    @Test
    void anEndReplayedAfterItsStreamCameBackDoesNotEndTheCallAgain() {
        send(calm("c1", SpeakerRole.AGENT, 0));
        end("c1", 0, 1, 10.0, 5_000);
        send(calm("c1", SpeakerRole.AGENT, 12));
        summaries.readValuesToList();

        // The job restarted from a checkpoint taken before the idle end: the end comes again, the events it
        // replays after it are dropped as repeats.
        end("c1", 0, 1, 10.0, 5_000);
        send(calm("c1", SpeakerRole.AGENT, 12));

        assertThat(summaries.readValuesToList()).isEmpty();
        KeyValueStore<String, CallTracker> calls = driver.getKeyValueStore(CallsTopology.CALLS_STORE);
        assertThat(calls.get("c1").ended()).isFalse();
        end("c1", 0, 1, 20.0, 6_000);
        assertThat(summaries.readValuesToList()).singleElement().satisfies(s -> assertThat(s.getEndedAtMs()).isEqualTo(6_000L));
    }

    @Test
    void aCallWhoseChannelsEndedBeforeItsFirstEventArrivesIsShownEnded() {
        end("c1", 0, 1, 3.0, 5_000);
        assertThat(summaries.readValuesToList()).as("nothing to show without an utterance").isEmpty();

        send(calm("c1", SpeakerRole.AGENT, 0));

        assertThat(summaries.readValuesToList()).singleElement().satisfies(s -> assertThat(s.getEndedAtMs()).isEqualTo(5_000L));
    }

    @Test
    void aRecordOnTheStreamEndsTopicThatIsNotAStreamEndGoesToTheDeadLetterTopic() {
        send(calm("c1", SpeakerRole.AGENT, 0));
        streamEnds.pipeInput("c1", codec.encode(calm("c1", SpeakerRole.AGENT, 5)));
        end("c1", 0, 1, 3.0, 5_000);

        assertThat(deadLetters.readValuesToList()).singleElement().satisfies(letter -> {
            assertThat(letter.getReason()).startsWith("not a StreamEnd: ");
            assertThat(letter.getSourceTopic()).isEqualTo(config.streamEndsTopic());
        });
        assertThat(summaries.readValuesToList()).last().satisfies(s -> assertThat(s.getEndedAtMs()).isEqualTo(5_000L));
    }

    /** An event written to Kafka at {@code atMs}, which is also when the job emitted it. */
    private void sendAt(long atMs, EmotionEvent event) {
        EmotionEvent stamped = EmotionEvent.newBuilder(event).setEmitTimeMs(atMs).build();
        events.pipeInput(stamped.getCallId(), codec.encode(stamped), atMs);
    }
}
