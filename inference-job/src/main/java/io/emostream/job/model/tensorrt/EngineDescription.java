package io.emostream.job.model.tensorrt;

import java.util.List;
import java.util.Map;

/**
 * What a TensorRT engine declares about itself: its inputs and outputs, and for each optimisation profile the shapes
 * each input accepts. Plain data, read from the engine once, so that checking it against the card needs no GPU.
 *
 * @param profiles per profile, input name to its range; empty for an engine with only fixed shapes
 */
public record EngineDescription(List<TensorSpec> tensors, List<Map<String, ShapeRange>> profiles) {

    public EngineDescription {
        tensors = List.copyOf(tensors);
        profiles = profiles.stream().map(Map::copyOf).toList();
    }
}
