package io.emostream.job.analysis;

import io.emostream.job.cues.AcousticCues;
import io.emostream.job.cues.SpeakerBaseline;
import io.emostream.job.domain.DomainProfile;
import io.emostream.job.event.EventBuilder;
import io.emostream.job.lexical.LexicalAnalyzer;
import io.emostream.job.lexical.LexicalCues;
import io.emostream.job.model.CueReading;
import io.emostream.job.model.EmotionEstimate;
import io.emostream.job.model.EmotionModel;
import io.emostream.job.model.LexicalEvidence;
import io.emostream.job.model.ModelInput;
import io.emostream.job.phrases.PhraseMatch;
import io.emostream.job.policy.EmotionPolicy;
import io.emostream.job.rationale.Rationale;
import io.emostream.job.rationale.RationaleWriter;
import io.emostream.job.segment.Utterance;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.TranscriptStatus;
import io.emostream.schema.WordsVoiceMismatch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * From one utterance to its event: measure the acoustic cues, compare each with the speaker's past (then add
 * this utterance to it), read the words when there is a transcript, ask the model (with the label prior of the
 * utterance's domain and role), check the words against the voice, and write the rationale. Plain Java; the speaker's baseline is passed in and updated in place. A speaker whose emotion the
 * {@link EmotionPolicy} withholds is only measured for the conversation: no baseline, no words read, no model.
 */
public final class UtteranceAnalyzer {
    private final EmotionModel model;
    private final LexicalAnalyzer lexical;
    /** The domain {@code --domain} named, or null to pick one per utterance by its role and source. */
    private final DomainProfile domain;
    private final LongConsumer modelMicros;
    private final EmotionPolicy policy;

    /**
     * @param analysis    how utterances are interpreted; an unknown domain or role is refused here, in one sentence
     * @param modelMicros told how long each model call took, in microseconds (for a latency metric)
     */
    public UtteranceAnalyzer(EmotionModel model, LexicalAnalyzer lexical, AnalysisSettings analysis, LongConsumer modelMicros) {
        this.model = model;
        this.lexical = lexical;
        this.domain = analysis.domain() == null ? null : DomainProfile.named(analysis.domain());
        this.modelMicros = modelMicros;
        this.policy = EmotionPolicy.withholdingFor(analysis.noEmotionFor());
    }

    /**
     * An utterance measured against its speaker's past, with its words read: what the model is given.
     *
     * @param phrases  the phrase rules the words matched, in transcript order
     * @param withheld the policy that withholds the utterance's emotion, or null; when set, the model is not asked
     * @param domain   the domain whose prior the utterance was judged with; null when withheld
     */
    public record Prepared(Utterance utterance, TranscriptStatus transcriptStatus, ModelInput input,
                           List<PhraseMatch> phrases, String withheld, DomainProfile domain) {
    }

    /** Whether the policy lets this utterance's emotion be analysed; when not, it needs no speaker baseline. */
    public boolean analysesEmotionOf(Utterance utterance) {
        return policy.mayAnalyse(utterance.role);
    }

    /** One utterance, start to finish. */
    public EmotionEvent analyse(Utterance utterance, SpeakerBaseline baseline, String transcript,
                                TranscriptStatus transcriptStatus) throws Exception {
        return finish(List.of(prepare(utterance, baseline, transcript, transcriptStatus))).get(0);
    }

    /**
     * Measures the cues, compares them with the speaker's past (then adds this utterance to it) and reads the words.
     *
     * @param transcript what was said, or null with {@code transcriptStatus} saying why there is none
     */
    public Prepared prepare(Utterance utterance, SpeakerBaseline baseline, String transcript, TranscriptStatus transcriptStatus) {
        AcousticCues acoustic = AcousticCues.measure(utterance.samples);
        String withheld = policy.withheldBecause(utterance.role);
        if (withheld != null) {
            List<CueReading> conversation = EmotionPolicy.conversationCues(acoustic.asMeasurements().stream()
                    .map(m -> new CueReading(m.name(), m.value(), m.unit(), null, null)).toList());
            // Phrase rules are not emotion inference: they still run on the words of a withheld role.
            List<PhraseMatch> phrases = transcript == null ? List.of() : lexical.phrases(transcript, utterance.role);
            return new Prepared(utterance, transcriptStatus,
                    new ModelInput(utterance.id(), utterance.samples, conversation, null, transcript), phrases, withheld, null);
        }
        boolean knowsSpeaker = baseline.heardSeconds() >= SpeakerBaseline.KNOWN_AFTER_SECONDS;
        List<CueReading> cues = acoustic.asMeasurements().stream()
                .map(m -> new CueReading(m.name(), m.value(), m.unit(), finite(baseline.zScore(m.name(), m.value())),
                        finite(baseline.usualValue(m.name()))))
                .toList();
        // The utterance is compared with the speaker's past, not with itself: the baseline learns it afterwards.
        baseline.update(acoustic, acoustic.speechSeconds());
        LexicalCues read = transcript == null ? LexicalCues.NONE : lexical.analyze(transcript, utterance.role);
        DomainProfile profile = domain != null ? domain : DomainProfile.byDefault(utterance.role, utterance.source);
        return new Prepared(utterance, transcriptStatus, new ModelInput(utterance.id(), utterance.samples,
                cues, evidence(read), transcript, knowsSpeaker, profile.prior(utterance.role)), read.phrases(), null, profile);
    }

    /**
     * Asks the model about a batch of prepared utterances in one call, and writes each one's rationale and event;
     * utterances whose emotion is withheld are left out of the call and get a withheld event.
     */
    public List<EmotionEvent> finish(List<Prepared> batch) throws Exception {
        List<EmotionEstimate> estimates = estimate(batch);
        long now = System.currentTimeMillis();
        List<EmotionEvent> events = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Prepared prepared = batch.get(i);
            ModelInput input = prepared.input();
            if (prepared.withheld() != null) {
                events.add(EventBuilder.withheld(prepared.utterance(), input.transcript(), prepared.transcriptStatus(),
                        input.cues(), prepared.withheld(), prepared.utterance().transcriptSource, now, prepared.phrases()));
                continue;
            }
            EmotionEstimate estimate = estimates.get(i);
            WordsVoiceMismatch mismatch = WordsVoiceCheck.check(input, estimate.arousal(), prepared.domain());
            if (mismatch != null) {
                // Words and voice contradict each other: no label built on either can be sure.
                estimate = estimate.doubted(WordsVoiceCheck.DOUBT);
            }
            Rationale rationale = RationaleWriter.write(estimate, input.cues(), input.lexical(), input.knowsSpeaker(), mismatch);
            events.add(EventBuilder.build(prepared.utterance(), input.transcript(), prepared.transcriptStatus(), input.cues(),
                    estimate, rationale, mismatch, model.id(), prepared.utterance().transcriptSource, now, prepared.phrases()));
        }
        return events;
    }

    /** The model's estimates in batch order, null for a withheld utterance, which the model never sees. */
    private List<EmotionEstimate> estimate(List<Prepared> batch) throws Exception {
        List<ModelInput> asked = batch.stream().filter(prepared -> prepared.withheld() == null).map(Prepared::input).toList();
        List<EmotionEstimate> aligned = new ArrayList<>(batch.size());
        if (asked.isEmpty()) {
            batch.forEach(prepared -> aligned.add(null));
            return aligned;
        }
        long started = System.nanoTime();
        Iterator<EmotionEstimate> estimates = model.estimate(asked).iterator();
        modelMicros.accept((System.nanoTime() - started) / 1000);
        batch.forEach(prepared -> aligned.add(prepared.withheld() == null ? estimates.next() : null));
        return aligned;
    }

    /**
     * The words as a model sees them: valence, the words that carried it (unsigned), keywords by emotion, phrase
     * categories. Apostrophes are written "’", so that a rationale quoting "isn't acceptable" in single quotes
     * keeps the quote whole for {@link io.emostream.job.rationale.GroundingCheck}.
     */
    static LexicalEvidence evidence(LexicalCues cues) {
        List<String> words = cues.valence().drivers().stream()
                .map(driver -> driver.startsWith("+") || driver.startsWith("-") ? driver.substring(1) : driver)
                .map(UtteranceAnalyzer::quotable)
                .toList();
        Map<String, List<String>> keywords = new LinkedHashMap<>();
        cues.keywords().byEmotion().forEach((emotion, terms) ->
                keywords.put(emotion, terms.stream().map(UtteranceAnalyzer::quotable).toList()));
        Map<String, List<String>> categories = new LinkedHashMap<>();
        cues.phrases().forEach(match -> categories.computeIfAbsent(match.category(), c -> new ArrayList<>())
                .add(quotable(match.text())));
        return new LexicalEvidence(cues.valence().compound(), words, keywords, categories);
    }

    private static String quotable(String words) {
        return words.replace('\'', '\u2019');
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
