package io.emostream.sinks;

import static io.emostream.sinks.Events.angry;
import static io.emostream.sinks.Events.calm;
import static io.emostream.sinks.Events.saying;
import static io.emostream.sinks.Events.speakingAt;
import static io.emostream.sinks.Events.unsure;
import static io.emostream.sinks.Events.utterance;
import static io.emostream.sinks.Events.withheld;
import static io.emostream.sinks.Events.withoutWords;
import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.schema.Alert;
import io.emostream.schema.CallSummary;
import io.emostream.schema.ConversationDynamics;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.Evidence;
import io.emostream.schema.GroupSummary;
import io.emostream.schema.Interruption;
import io.emostream.schema.RoleSummary;
import io.emostream.schema.Severity;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.codec.RecordCodec;
import io.emostream.schema.kafka.AvroSerde;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Streams topology on Kafka's test driver, for what issue 15 added: phrase alerts, escalation from words and
 * voice, the overtalk alert, withheld emotion, and the conversation's dynamics in the summaries.
 */
class CallsTopologyAnalyticsTest {
    private final SinksConfig config = SinksConfig.defaults("unused:9092");
    private final RecordCodec<EmotionEvent> codec = RecordCodec.of(EmotionEvent.class);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestOutputTopic<String, CallSummary> summaries;
    private TestOutputTopic<String, Alert> alerts;
    private TestOutputTopic<String, GroupSummary> groups;

    @BeforeEach
    void start() {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "sinks-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(CallsTopology.build(config), properties);
        events = driver.createInputTopic(config.eventsTopic(), new StringSerializer(), new ByteArraySerializer());
        summaries = driver.createOutputTopic(config.summaryTopic(), new StringDeserializer(),
                AvroSerde.of(CallSummary.class).deserializer());
        alerts = driver.createOutputTopic(config.alertsTopic(), new StringDeserializer(), AvroSerde.of(Alert.class).deserializer());
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

    private List<Alert> raised(String rulePrefix) {
        return alerts.readValuesToList().stream().filter(alert -> alert.getRule().startsWith(rulePrefix)).toList();
    }

    private CallSummary latestSummary() {
        List<CallSummary> out = summaries.readValuesToList();
        return out.get(out.size() - 1);
    }

    private static RoleSummary role(CallSummary summary, SpeakerRole role) {
        return summary.getRoles().stream().filter(r -> r.getRole() == role).findFirst().orElseThrow();
    }

    @Test
    void aPhraseRuleWithASeverityRaisesItsCategoryOncePerEpisode() {
        send(saying(calm("c1", SpeakerRole.CUSTOMER, 0), "cancel-account", "churn_risk", "cancel my account", "WARNING",
                        "thanks", "gratitude", "thank you", null),
                // Another churn phrase 30 s later is the same episode; a legal threat is a new category.
                saying(calm("c1", SpeakerRole.CUSTOMER, 30), "switch-provider", "churn_risk", "switch provider", "CRITICAL",
                        "sue", "legal_threat", "see you in court", "CRITICAL"),
                // A tag without a severity raises nothing.
                saying(calm("c1", SpeakerRole.CUSTOMER, 60), "thanks", "gratitude", "thanks", null),
                // Past the five-minute cooldown: a new episode.
                saying(calm("c1", SpeakerRole.CUSTOMER, 400), "cancel-account", "churn_risk", "cancel", "WARNING"));

        List<Alert> phrases = raised("phrase:");
        assertThat(phrases).extracting(Alert::getAlertId).containsExactly("phrase:churn_risk/c1/1/0",
                "phrase:legal_threat/c1/1/480000", "phrase:churn_risk/c1/1/6400000");
        assertThat(phrases).extracting(Alert::getSeverity).containsExactly(Severity.WARNING, Severity.CRITICAL, Severity.WARNING);
        assertThat(phrases).extracting(Alert::getMessage).containsExactly(
                "Customer said a churn risk phrase (rule cancel-account) at 0:00.",
                "Customer said a legal threat phrase (rule sue) at 0:30.",
                "Customer said a churn risk phrase (rule cancel-account) at 6:40.");
        assertThat(phrases.get(0).getRole()).isEqualTo(SpeakerRole.CUSTOMER);
        assertThat(phrases.get(0).getEvidence()).singleElement().satisfies(evidence -> {
            assertThat(evidence.getUtteranceId()).isEqualTo("c1/1/0");
            assertThat(evidence.getPhrases()).containsExactly("churn_risk", "gratitude");
            assertThat(evidence.getTranscriptSnippet()).isEqualTo("words of neutral");
        });
    }

    @Test
    void anEscalationPhraseSaidWithRaisedArousalIsAnEscalation() {
        send(calm("c1", SpeakerRole.CUSTOMER, 0),
                // Said calmly, the churn phrase is a phrase, not an escalation.
                saying(calm("c1", SpeakerRole.CUSTOMER, 3), "cancel-account", "churn_risk", "cancel my account", null),
                saying(utterance("c1", SpeakerRole.CUSTOMER, 6, 8, "neutral", 0.48, 0.0), "cancel-account", "churn_risk",
                        "cancel my account", null));

        assertThat(alerts.readValuesToList()).singleElement().satisfies(alert -> {
            assertThat(alert.getRule()).isEqualTo("customer_escalation");
            assertThat(alert.getAlertId()).isEqualTo("customer_escalation/c1/1/96000");
            assertThat(alert.getSeverity()).isEqualTo(Severity.WARNING);
            // Scores: 0, 0, then 0.35 × 0.48.
            assertThat(alert.getMessage()).isEqualTo("Customer escalating: said a churn risk phrase (rule cancel-account)"
                    + " with raised arousal (arousal 0.48, valence 0.00; escalation 0.17, rising).");
            assertThat(alert.getEvidence()).extracting(Evidence::getUtteranceId).containsExactly("c1/1/0", "c1/1/48000", "c1/1/96000");
            assertThat(alert.getEvidence().get(2).getPhrases()).containsExactly("churn_risk");
        });
    }

    @Test
    void twoHeatedTurnsStillRisingAreAnEscalationWhenTheWordsAreNegativeOrMissing() {
        // The call with speech recognition off: two shouted turns, louder the second time, no words.
        send(withoutWords(utterance("no-words", SpeakerRole.CUSTOMER, 0, 2, "surprised", 0.4, 0.0)),
                withoutWords(utterance("no-words", SpeakerRole.CUSTOMER, 3, 5, "surprised", 0.55, 0.0)));
        send(utterance("negative", SpeakerRole.CUSTOMER, 0, 2, "angry", 0.4, -0.3),
                utterance("negative", SpeakerRole.CUSTOMER, 3, 5, "angry", 0.5, -0.3));
        // Neutral words, positive words, or negative but not rising: not (yet) an escalation.
        send(utterance("neutral-words", SpeakerRole.CUSTOMER, 0, 2, "surprised", 0.4, 0.0),
                utterance("neutral-words", SpeakerRole.CUSTOMER, 3, 5, "surprised", 0.55, 0.0));
        send(utterance("positive", SpeakerRole.CUSTOMER, 0, 2, "happy", 0.4, 0.5),
                utterance("positive", SpeakerRole.CUSTOMER, 3, 5, "happy", 0.55, 0.5));
        send(utterance("not-rising", SpeakerRole.CUSTOMER, 0, 2, "angry", 0.5, -0.3),
                utterance("not-rising", SpeakerRole.CUSTOMER, 3, 5, "angry", 0.5, -0.3));

        List<Alert> raised = alerts.readValuesToList();
        assertThat(raised).extracting(Alert::getCallId).containsExactly("no-words", "negative");
        assertThat(raised.get(0).getMessage()).isEqualTo("Customer escalating: 2 heated turns in a row, each louder than"
                + " the one before, from arousal 0.40 (arousal 0.55, valence 0.00, no words; escalation 0.45, steady).");
        assertThat(raised.get(0).getAlertId()).isEqualTo("customer_escalation/no-words/1/48000");
        assertThat(raised.get(1).getMessage()).startsWith("Customer escalating: 2 heated turns in a row");
    }

    @Test
    void anUncertainLabelAddsNoHostilityToTheScore() {
        send(unsure(withoutWords(utterance("unsure", SpeakerRole.CUSTOMER, 0, 2, "angry", 0.6, 0.0)), "happy"),
                withoutWords(utterance("sure", SpeakerRole.CUSTOMER, 0, 2, "angry", 0.6, 0.0)));

        List<CallSummary> out = summaries.readValuesToList();
        assertThat(out.get(0).getEscalationScore()).isEqualTo(0.6);
        assertThat(out.get(1).getEscalationScore()).isEqualTo(0.6 + 0.15);
    }

    @Test
    void withheldEmotionIsLeftOutOfEverythingThatReadsEmotion() {
        send(angry("c1", SpeakerRole.CUSTOMER, 3), angry("c1", SpeakerRole.CUSTOMER, 6),
                withheld(angry("c1", SpeakerRole.CUSTOMER, 9)), angry("c1", SpeakerRole.CUSTOMER, 12));
        for (int i = 0; i < 5; i++) {
            EmotionEvent agent = i < 4 ? calm("c1", SpeakerRole.AGENT, 15 + 3 * i) : angry("c1", SpeakerRole.AGENT, 15 + 3 * i);
            send(withheld(EmotionEvent.newBuilder(agent).setSpeaker("sam").build()));
        }

        // The withheld utterance neither counts in the run of three nor breaks it; the agent's spike rule stays off.
        assertThat(alerts.readValuesToList()).singleElement().satisfies(alert -> {
            assertThat(alert.getRule()).isEqualTo("customer_escalation");
            assertThat(alert.getAlertId()).isEqualTo("customer_escalation/c1/1/192000");
            assertThat(alert.getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(alert.getMessage()).isEqualTo("Customer escalating: 3 high-arousal utterances in a row, none of"
                    + " them positive (arousal 0.70, valence -0.50; escalation 1.00, steady).");
            assertThat(alert.getEvidence().get(2)).satisfies(evidence -> {
                assertThat(evidence.getUtteranceId()).isEqualTo("c1/1/144000");
                assertThat(evidence.getLabel()).isNull();
                assertThat(evidence.getArousal()).isNull();
            });
        });
        CallSummary summary = latestSummary();
        RoleSummary agent = role(summary, SpeakerRole.AGENT);
        assertThat(agent.getEmotionWithheld()).isTrue();
        assertThat(agent.getUtterances()).isEqualTo(5);
        assertThat(agent.getArousal()).isNull();
        assertThat(agent.getValence()).isNull();
        assertThat(agent.getNegativeShare()).isNull();
        assertThat(agent.getHighArousalShare()).isNull();
        assertThat(agent.getCurrentLabel()).isNull();
        assertThat(agent.getTalkShare()).isEqualTo(10_000 / 18_000.0);
        RoleSummary customer = role(summary, SpeakerRole.CUSTOMER);
        assertThat(customer.getEmotionWithheld()).isFalse();
        assertThat(customer.getUtterances()).isEqualTo(4);
        assertThat(customer.getNegativeShare()).as("over the three analysed").isEqualTo(1.0);
        assertThat(customer.getArousal()).isEqualTo(0.7);
        assertThat(summary.getEscalationScore()).isEqualTo(1.0);

        List<GroupSummary> sam = groups.readValuesToList();
        assertThat(sam.get(sam.size() - 1)).satisfies(group -> {
            assertThat(group.getUtterances()).isEqualTo(5);
            assertThat(group.getTalkTimeMs()).isEqualTo(10_000);
            assertThat(group.getArousal()).isZero();
            assertThat(group.getNegativeShare()).isZero();
        });
    }

    /** The customer speaks; the agent cuts in 5 s into each turn, for 2 s, while the customer goes on for 3 s more. */
    private void cutIn(String call, double customerS, double customerEndS) {
        // Events are written when an utterance ends: the agent's first.
        send(utterance(call, SpeakerRole.AGENT, customerS + 5, customerS + 7, "neutral", 0, 0.1),
                utterance(call, SpeakerRole.CUSTOMER, customerS, customerEndS, "neutral", 0, 0.1));
    }

    @Test
    void anAgentCuttingInOnTheCustomerThreeTimesInAMinuteRaisesOvertalkOncePerEpisode() {
        cutIn("c1", 0, 10);
        cutIn("c1", 10, 20);
        assertThat(raised("overtalk")).as("two interruptions are not yet three").isEmpty();
        cutIn("c1", 20, 30);

        assertThat(raised("overtalk")).singleElement().satisfies(alert -> {
            assertThat(alert.getAlertId()).isEqualTo("overtalk/c1/0/400000");
            assertThat(alert.getRole()).isEqualTo(SpeakerRole.AGENT);
            assertThat(alert.getSeverity()).isEqualTo(Severity.WARNING);
            assertThat(alert.getRaisedAtMs()).isEqualTo(21_000);
            assertThat(alert.getMessage()).isEqualTo("Agent cut in on the customer 3 times within 60 s (at 0:05, 0:15, 0:25).");
            assertThat(alert.getEvidence()).extracting(Evidence::getUtteranceId)
                    .containsExactly("c1/0/80000", "c1/0/240000", "c1/0/400000");
        });

        cutIn("c1", 30, 40);
        assertThat(raised("overtalk")).as("the same episode").isEmpty();
        // More than a minute without the agent cutting in ends it; three more open the next.
        cutIn("c1", 107, 120);
        cutIn("c1", 120, 130);
        cutIn("c1", 130, 140);
        assertThat(raised("overtalk")).singleElement().satisfies(alert -> {
            assertThat(alert.getAlertId()).isEqualTo("overtalk/c1/0/2160000");
            assertThat(alert.getMessage()).isEqualTo("Agent cut in on the customer 3 times within 60 s (at 1:52, 2:05, 2:15).");
        });

        ConversationDynamics conversation = latestSummary().getConversation();
        assertThat(conversation.getInterruptions()).containsExactly(Interruption.newBuilder()
                .setBy(SpeakerRole.AGENT).setOf(SpeakerRole.CUSTOMER).setCount(7).build());
        assertThat(conversation.getSpanMs()).isEqualTo(140_000);
        assertThat(conversation.getOverTalkMs()).isEqualTo(7 * 2_000);
        assertThat(conversation.getOverTalkShare()).isEqualTo(14_000 / 73_000.0);
        assertThat(conversation.getDeadAirMs()).isEqualTo(67_000);
        assertThat(conversation.getDeadAirShare()).isEqualTo(67_000 / 140_000.0);
        assertThat(conversation.getLongestDeadAirMs()).isEqualTo(67_000);
        assertThat(conversation.getResolutionMs()).isEqualTo(152);
    }

    @Test
    void eachRoleHasItsTalkShareAndItsSpeakingRateAgainstItsUsual() {
        send(speakingAt(utterance("c1", SpeakerRole.AGENT, 0, 4, "neutral", 0, 0.1), 4.0),
                speakingAt(utterance("c1", SpeakerRole.CUSTOMER, 5, 7, "neutral", 0, 0.1), 3.0),
                speakingAt(utterance("c1", SpeakerRole.AGENT, 8, 10, "neutral", 0, 0.1), 5.5),
                utterance("c1", SpeakerRole.CUSTOMER, 11, 12, "neutral", 0, 0.1));

        CallSummary summary = latestSummary();
        RoleSummary agent = role(summary, SpeakerRole.AGENT);
        assertThat(agent.getTalkShare()).isEqualTo(6_000 / 9_000.0);
        assertThat(agent.getSpeakingRate()).isEqualTo(5.5);
        assertThat(agent.getUsualSpeakingRate()).isEqualTo(4.75);
        RoleSummary customer = role(summary, SpeakerRole.CUSTOMER);
        assertThat(customer.getTalkShare()).isEqualTo(3_000 / 9_000.0);
        assertThat(customer.getSpeakingRate()).as("the latest measured").isEqualTo(3.0);
        assertThat(customer.getUsualSpeakingRate()).isEqualTo(3.0);
        assertThat(summary.getConversation().getDeadAirMs()).isEqualTo(3_000);
        assertThat(summary.getConversation().getInterruptions()).isEmpty();
    }
}
