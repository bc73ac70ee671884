package io.emostream.ingest.siprec;

import io.emostream.ingest.InvalidInputException;
import io.emostream.schema.SpeakerRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which stream of a recorded call is the agent's. SIPREC metadata names the participants but not their part in a
 * contact centre, so the administrator says how to tell:
 * <ul>
 *   <li>{@code callee} (the default): the first recorded stream is the caller's, a customer calling in; every
 *       other stream is the agent's. SBCs offer the calling party's stream first.</li>
 *   <li>{@code caller}: the first stream is the agent's (outbound campaigns), every other stream a customer's.</li>
 *   <li>anything else is a regular expression, found (case-insensitively) in the sending participant's AOR or
 *       name: a match is the agent, otherwise the customer; a stream no participant sends is unknown. For example
 *       {@code @agents\.example\.com$} or {@code ^sip:2\d{3}@}.</li>
 * </ul>
 */
public final class AgentRule {
    public static final AgentRule CALLEE = new AgentRule("callee", null);
    public static final AgentRule CALLER = new AgentRule("caller", null);

    private final String text;
    private final Pattern pattern;

    private AgentRule(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    /** From an option value: {@code callee}, {@code caller} or a regular expression. */
    public static AgentRule parse(String value) {
        String rule = value.strip();
        switch (rule.toLowerCase(Locale.ROOT)) {
            case "callee":
                return CALLEE;
            case "caller":
                return CALLER;
            default:
                if (rule.isEmpty()) {
                    throw new InvalidInputException("the SIPREC agent rule is empty; use callee, caller or a regular "
                            + "expression matching the agents' AORs or names");
                }
                try {
                    return new AgentRule(rule, Pattern.compile(rule, Pattern.CASE_INSENSITIVE));
                } catch (PatternSyntaxException e) {
                    throw new InvalidInputException("the SIPREC agent rule '" + rule + "' is not a valid regular "
                            + "expression (" + e.getDescription() + "); use callee, caller or a Java regular expression", e);
                }
        }
    }

    /** The role of each channel, given the participant sending it (null where the metadata names none). */
    List<SpeakerRole> roles(List<RecordingMetadata.Participant> senders) {
        List<SpeakerRole> roles = new ArrayList<>(senders.size());
        for (int channel = 0; channel < senders.size(); channel++) {
            roles.add(role(channel, senders.get(channel)));
        }
        return roles;
    }

    private SpeakerRole role(int channel, RecordingMetadata.Participant sender) {
        if (pattern == null) {
            boolean first = channel == 0;
            return first == (this == CALLER) ? SpeakerRole.AGENT : SpeakerRole.CUSTOMER;
        }
        if (sender == null) {
            return SpeakerRole.UNKNOWN;
        }
        boolean agent = (sender.aor() != null && pattern.matcher(sender.aor()).find())
                || (sender.name() != null && pattern.matcher(sender.name()).find());
        return agent ? SpeakerRole.AGENT : SpeakerRole.CUSTOMER;
    }

    @Override
    public String toString() {
        return text;
    }
}
