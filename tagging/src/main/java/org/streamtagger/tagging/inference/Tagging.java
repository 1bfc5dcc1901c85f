package org.streamtagger.tagging.inference;

import java.util.List;

/**
 * The tags of one sentence.
 *
 * @param tags one tag per token
 * @param confidence probability of each chosen tag
 * @param logProbs log-probabilities of every tag at each token {@code [tokens][tags]}
 */
public record Tagging(List<String> tags, float[] confidence, float[][] logProbs) {}
