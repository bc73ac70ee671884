package io.emostream.job.lexical;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EmotionKeywordsTest {

    private static final EmotionKeywords KEYWORDS = EmotionKeywords.load();

    @Test
    void findsPhrasesAsWholes() {
        assertThat(KEYWORDS.find("Honestly I'm sick of this, cancel it").byEmotion())
                .isEqualTo(Map.of("angry", List.of("sick of", "cancel")));
        assertThat(KEYWORDS.find("I feel sick, of course").isEmpty()).as("a clause mark splits a phrase").isTrue();
    }

    @Test
    void matchesWholeWordsOnly() {
        assertThat(KEYWORDS.find("What is the cancellation fee?").isEmpty()).isTrue();
        assertThat(KEYWORDS.find("I want to cancel").terms("angry")).containsExactly("cancel");
        assertThat(KEYWORDS.find("my grossly inflated bill").terms("disgusted")).isEmpty();
    }

    @Test
    void aNegatedKeywordDoesNotCount() {
        assertThat(KEYWORDS.find("I'm not angry").isEmpty()).isTrue();
        assertThat(KEYWORDS.find("I am angry").terms("angry")).containsExactly("angry");
        assertThat(KEYWORDS.find("I wasn't really that worried").isEmpty()).as("three words back").isTrue();
        assertThat(KEYWORDS.find("There's no fraud on the account").isEmpty()).isTrue();
        assertThat(KEYWORDS.find("oh no it was stolen").terms("fearful")).as("no reaches two words only")
                .containsExactly("stolen");
        assertThat(KEYWORDS.find("I'm not worried, just furious").byEmotion())
                .as("negation stops at the clause mark").isEqualTo(Map.of("angry", List.of("furious")));
        assertThat(KEYWORDS.find("I have never been so scared").terms("fearful")).containsExactly("scared");
    }

    @Test
    void theLongestTermWinsAndEachTermIsListedOnceInTheOrderSaid() {
        assertThat(KEYWORDS.find("I'm glad to hear that").terms("happy")).containsExactly("glad to hear");
        assertThat(KEYWORDS.find("Furious. Cancel, cancel, I said cancel. Furious!").terms("angry"))
                .containsExactly("furious", "cancel");
    }

    @Test
    void emotionsComeInLabelOrder() {
        KeywordHits hits = KEYWORDS.find("Wow, I'm worried but thank you so much, that's disgusting and pathetic");

        assertThat(hits.byEmotion().keySet())
                .containsExactly("happy", "surprised", "fearful", "disgusted", "contemptuous");
        assertThat(hits.terms("happy")).containsExactly("thank you so much");
        assertThat(hits.total()).isEqualTo(5);
        assertThat(hits.terms("sad")).isEmpty();
    }

    @Test
    void ignoresCaseAndTypographicApostrophesAndKeepsQuestionMarks() {
        assertThat(KEYWORDS.find("I CAN\u2019T BELIEVE it").terms("surprised")).containsExactly("can't believe");
        assertThat(KEYWORDS.find("Really? That's great").byEmotion())
                .isEqualTo(Map.of("happy", List.of("that's great"), "surprised", List.of("really?")));
        assertThat(KEYWORDS.find("It really is").isEmpty()).isTrue();
    }

    @Test
    void textWithoutKeywordsFindsNone() {
        assertThat(KEYWORDS.find("")).isEqualTo(KeywordHits.NONE);
        assertThat(KEYWORDS.find("my account number is four two")).isEqualTo(KeywordHits.NONE);
    }

    /** Every listed term is reachable: found when said alone, under its own emotion, and not after "not". */
    @Test
    void everyListedTermIsFoundUnderItsEmotion() {
        List<String[]> entries = BundledText.lines(EmotionKeywords.KEYWORDS_RESOURCE).stream()
                .map(line -> line.split("\t")).toList();

        for (String[] entry : entries) {
            String emotion = entry[0];
            String term = entry[1];
            assertThat(KEYWORDS.find(term).byEmotion()).as(term).isEqualTo(Map.of(emotion, List.of(term)));
            assertThat(KEYWORDS.find("not " + term).isEmpty()).as("not " + term).isTrue();
        }
    }

    /** Our hand-made list: 15 to 40 terms for each emotion but neutral, which is the absence of cues. */
    @Test
    void theListCoversEveryEmotionButNeutral() {
        Map<String, Long> termsPerEmotion = BundledText.lines(EmotionKeywords.KEYWORDS_RESOURCE).stream()
                .collect(Collectors.groupingBy(line -> line.split("\t")[0], Collectors.counting()));

        assertThat(termsPerEmotion.keySet()).containsExactlyInAnyOrderElementsOf(
                EmotionKeywords.LABELS.stream().filter(label -> !label.equals("neutral")).toList());
        assertThat(termsPerEmotion.values()).allSatisfy(count -> assertThat(count).isBetween(15L, 40L));
        assertThat(termsPerEmotion.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(195);
    }
}
