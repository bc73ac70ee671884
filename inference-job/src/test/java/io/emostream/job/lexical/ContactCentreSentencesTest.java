package io.emostream.job.lexical;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The bundled contact-centre pack on sentences with, for each, the exact set of categories and the sign of the
 * valence a supervisor expects: {@code contact_centre_sentences.txt}, written before the pack, and
 * {@code contact_centre_sentences_unseen.txt}, written after it and never used to change it. A sentence may go wrong
 * only if its file marks it expected-miss or it is listed below; the test also fails when a listed one comes right
 * (then take it off the list).
 */
class ContactCentreSentencesTest {

    private record Sentence(int line, String role, Set<String> categories, char sign, boolean expectedMiss, String text) {
    }

    /** Misses of the second set at its first run, each with why; the pack was not changed for them. */
    private static final Set<String> UNSEEN_MISSES = Set.of(
            // churn said in words the pack does not list: "new supplier" without "switch", "stop the contract",
            // "cancellation" (left out on purpose: "cancellation policy" is no churn), "signed up with", "shut my line off"
            "I think it's time I looked for a new supplier.",
            "Just stop the contract, I don't want it anymore.",
            "Please process my cancellation today.",
            "I've already signed up with BT, so you can shut my line off.",
            // complaints in words the pack does not list; "promised" even reads positive to VADER
            "Your app crashes every time I open it.",
            "I was promised a call back and it never happened.",
            "The bill is wrong again.",
            "I've explained this four times already.",
            "Nothing has been done about it.",
            // an escalation asked for without "manager", "supervisor" or "escalate"
            "Who's in charge there? I want to talk to them.",
            // the FCC is not among the regulators the pack names, and "file a complaint" reads as a complaint
            "I'm going to file a complaint with the FCC.",
            // "a massive help": only "you've been * helpful" is listed, and "help" is neutral
            "You've been a massive help, honestly.",
            // VADER rates "number" +0.3, and it is not on the neutral list
            "Yeah, okay, that's my account number.");

    @Test
    void theBundledPackTagsAndSignsTheSentencesWrittenBeforeIt() throws Exception {
        assertThat(misses("contact_centre_sentences.txt", 40)).isEmpty();
    }

    @Test
    void theBundledPackOnSentencesWrittenAfterIt() throws Exception {
        assertThat(misses("contact_centre_sentences_unseen.txt", 30)).containsExactlyInAnyOrderElementsOf(UNSEEN_MISSES);
    }

    /** The sentences of a file the pack gets wrong that the file does not mark expected-miss; prints a report. */
    private static List<String> misses(String file, int atLeast) throws Exception {
        List<Sentence> sentences = sentences(file);
        assertThat(sentences).hasSizeGreaterThanOrEqualTo(atLeast);
        LexicalAnalyzer analyzer = LexicalAnalyzer.load();
        List<String> misses = new ArrayList<>();
        int passed = 0;
        StringBuilder report = new StringBuilder();
        for (Sentence sentence : sentences) {
            LexicalCues cues = analyzer.analyze(sentence.text(), sentence.role().toUpperCase(Locale.ROOT));
            Set<String> categories = new TreeSet<>();
            cues.phrases().forEach(match -> categories.add(match.category()));
            double valence = cues.valence().compound();
            char sign = valence > 0.05 ? '+' : valence < -0.05 ? '-' : '0';
            boolean right = categories.equals(sentence.categories()) && sign == sentence.sign();
            if (right) {
                passed++;
            } else if (!sentence.expectedMiss()) {
                misses.add(sentence.text());
            }
            report.append(String.format(Locale.ROOT, "%s %-9s %-40s %+.3f (%c, expected %c) %s%s%n", right ? "ok  " : "MISS",
                    sentence.role(), categories + (right ? "" : " expected " + sentence.categories()), valence, sign,
                    sentence.sign(), sentence.text(), sentence.expectedMiss() ? "  [expected-miss]" : ""));
        }
        System.out.print(report);
        System.out.printf("%s: %d of %d sentences right%n", file, passed, sentences.size());
        return misses;
    }

    private static List<Sentence> sentences(String file) throws Exception {
        List<Sentence> sentences = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                ContactCentreSentencesTest.class.getResourceAsStream(file), StandardCharsets.UTF_8))) {
            List<String> lines = reader.lines().toList();
            for (int n = 1; n <= lines.size(); n++) {
                String line = lines.get(n - 1);
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split(" \\| ", 5);
                assertThat(fields).as("line %d", n).hasSize(5);
                Set<String> categories = fields[1].equals("-") ? Set.of() : new TreeSet<>(List.of(fields[1].split(",")));
                sentences.add(new Sentence(n, fields[0], new TreeSet<>(categories), fields[2].charAt(0),
                        fields[3].equals("expected-miss"), fields[4]));
            }
        }
        return sentences;
    }
}
