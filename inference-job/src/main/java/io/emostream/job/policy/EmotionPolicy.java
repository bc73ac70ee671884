package io.emostream.job.policy;

import io.emostream.job.cues.AcousticCues;
import io.emostream.job.model.CueReading;
import io.emostream.schema.SpeakerRole;
import java.io.Serializable;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * Whose emotion the job may infer ({@code --no-emotion-for ROLE,...}). The EU AI Act, Regulation (EU) 2024/1689,
 * Art. 5(1)(f), prohibits inferring the emotions of people at work, and a contact centre's agents are at work; whether
 * that applies is the operator's judgement, this is the switch. An utterance of a withheld role is given to no emotion
 * model, local or SpeechLM: its event keeps the timing, the transcript and how the conversation went, and names the
 * policy in place of a label.
 */
public final class EmotionPolicy implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Names the policy where an event names who produced a field (modelId, fieldSources). */
    public static final String ID = "emotion-policy/1";
    /**
     * The cues a withheld event keeps: how fast one talks and how much one pauses describe the conversation (talk
     * ratio, pace against one's own usual), whereas pitch, loudness and voice quality are the evidence an emotion
     * would be read from, so they are left out.
     */
    public static final List<String> CONVERSATION_CUES = List.of(AcousticCues.SPEAKING_RATE_SYL_PER_S, AcousticCues.PAUSE_RATIO);

    private final EnumSet<SpeakerRole> withheld;

    private EmotionPolicy(EnumSet<SpeakerRole> withheld) {
        this.withheld = withheld;
    }

    /** No role withheld: every utterance is analysed. */
    public static EmotionPolicy analyseAll() {
        return new EmotionPolicy(EnumSet.noneOf(SpeakerRole.class));
    }

    /**
     * The roles as users write them (agent, CUSTOMER, " host "); an unknown one gets one sentence naming it and the
     * roles there are.
     */
    public static EmotionPolicy withholdingFor(List<String> roles) {
        EnumSet<SpeakerRole> withheld = EnumSet.noneOf(SpeakerRole.class);
        for (String name : roles) {
            String symbol = name.strip().toUpperCase(Locale.ROOT);
            SpeakerRole role = Arrays.stream(SpeakerRole.values()).filter(r -> r.name().equals(symbol)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown speaker role '" + name.strip()
                            + "'; use one of " + String.join(", ", roleNames())));
            withheld.add(role);
        }
        return new EmotionPolicy(withheld);
    }

    /** @param role a {@link SpeakerRole} name, as an utterance carries it */
    public boolean mayAnalyse(String role) {
        return withheldBecause(role) == null;
    }

    /** The policy that withholds this role's emotion, as events name it ("no-emotion-for AGENT"), or null. */
    public String withheldBecause(String role) {
        return withheld.stream().anyMatch(r -> r.name().equals(role)) ? "no-emotion-for " + role : null;
    }

    /** The withheld roles as SpeakerRole names, in the enum's order. */
    public List<String> withheldRoles() {
        return withheld.stream().map(SpeakerRole::name).toList();
    }

    /** Of an utterance's measured cues, those a withheld event keeps: no baseline, so no z-score or usual value. */
    public static List<CueReading> conversationCues(List<CueReading> measured) {
        return measured.stream().filter(cue -> CONVERSATION_CUES.contains(cue.name()))
                .map(cue -> new CueReading(cue.name(), cue.value(), cue.unit(), null, null)).toList();
    }

    /** What a withheld event says in place of a rationale: that no emotion was analysed, and what was measured. */
    public static String rationale(String withheldBecause, List<CueReading> conversationCues) {
        StringBuilder text = new StringBuilder("No emotion analysed (policy ").append(withheldBecause).append(").");
        for (CueReading cue : conversationCues) {
            if (!Double.isFinite(cue.value())) {
                continue;
            }
            text.append(switch (cue.name()) {
                case AcousticCues.SPEAKING_RATE_SYL_PER_S -> String.format(Locale.ROOT, " Speaking rate %.1f syllables/s.", cue.value());
                case AcousticCues.PAUSE_RATIO -> String.format(Locale.ROOT, " Pauses %.0f%% of the spoken time.", 100 * cue.value());
                default -> "";
            });
        }
        return text.toString();
    }

    private static List<String> roleNames() {
        return Arrays.stream(SpeakerRole.values()).map(r -> r.name().toLowerCase(Locale.ROOT)).toList();
    }
}
