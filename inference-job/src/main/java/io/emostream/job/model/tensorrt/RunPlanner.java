package io.emostream.job.model.tensorrt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Splits a batch of utterances into engine runs that fit the engine's {@link BatchLimits}. With an attention mask,
 * utterances are sorted by length before they are cut into runs of at most {@code maxRows}, so each run pads its
 * utterances to a similar length; without one, only utterances of the same length share a run, because padding
 * would change what the model hears. Runs are padded up to the engine's smallest batch and length (masked padding
 * changes nothing; an unmasked utterance shorter than the engine's shortest input is padded with silence, the one
 * case where the result can differ slightly from the model's on the bare utterance).
 */
public final class RunPlanner {
    private RunPlanner() {
    }

    /** @param lengths samples of each utterance of the batch, already cut to the card's {@code maxSeconds} */
    public static List<Run> plan(int[] lengths, boolean masked, BatchLimits limits) {
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        List<Integer> order = masked
                ? IntStream.range(0, lengths.length).boxed().sorted(Comparator.comparingInt(i -> lengths[i])).toList()
                : IntStream.range(0, lengths.length).boxed().toList();
        for (int i : order) {
            groups.computeIfAbsent(masked ? 0 : lengths[i], k -> new ArrayList<>()).add(i);
        }
        List<Run> runs = new ArrayList<>();
        for (List<Integer> group : groups.values()) {
            for (int from = 0; from < group.size(); from += limits.maxRows()) {
                List<Integer> members = group.subList(from, Math.min(group.size(), from + limits.maxRows()));
                int longest = members.stream().mapToInt(i -> lengths[i]).max().orElse(0);
                if (longest > limits.maxLength()) {
                    throw new IllegalStateException("an utterance of " + longest + " samples was not cut to " + limits.maxLength());
                }
                runs.add(new Run(members, Math.max(members.size(), limits.minRows()), Math.max(longest, limits.minLength())));
            }
        }
        return runs;
    }
}
