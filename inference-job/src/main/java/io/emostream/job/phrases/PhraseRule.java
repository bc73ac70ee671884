package io.emostream.job.phrases;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One rule of a rule file: phrases and patterns that, said by a speaker of the given role, put the utterance in a
 * category and may raise an alert.
 *
 * @param id               the rule's name in events and alerts
 * @param category         the name of its {@link Category}
 * @param role             whose words it reads
 * @param phrases          matched word by word (see {@link Phrase})
 * @param regexes          searched in the transcript, case-insensitive
 * @param negationCancels  whether a negator just before a match takes it back ("I don't want to cancel")
 * @param severity         the alert the rule raises; null when it only tags the utterance
 */
public record PhraseRule(String id, String category, Role role, List<Phrase> phrases, List<Pattern> regexes,
                         boolean negationCancels, Severity severity) implements Serializable {

    /** Whose words a rule reads, by the speaker roles of the events. */
    public enum Role {
        ANY, AGENT, CUSTOMER, HOST, GUEST;

        /** Whether a speaker of this role (as the events name it: CUSTOMER, UNKNOWN...; null for none) is read. */
        public boolean admits(String speakerRole) {
            return this == ANY || (speakerRole != null && name().equals(speakerRole.toUpperCase(Locale.ROOT)));
        }
    }

    public PhraseRule {
        phrases = List.copyOf(phrases);
        regexes = List.copyOf(regexes);
    }
}
