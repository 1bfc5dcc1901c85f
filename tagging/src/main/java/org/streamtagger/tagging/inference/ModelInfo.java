package org.streamtagger.tagging.inference;

import java.util.List;
import java.util.Map;

/**
 * What an exported model says about itself (its {@code metadata_props}).
 *
 * @param name model name
 * @param version model version
 * @param tagColumn UPOS or XPOS
 * @param tags the tag set, in id order
 * @param maxWordChars longest character sequence the model reads per word
 * @param properties every metadata entry
 */
public record ModelInfo(
    String name,
    String version,
    String tagColumn,
    List<String> tags,
    int maxWordChars,
    Map<String, String> properties) {}
