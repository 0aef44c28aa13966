package org.flawmap.service;

import java.time.Instant;

/**
 * The identity that the service reports for the model that scored a request.
 *
 * @param path the model file as given on the command line or in the reload request
 * @param sha256 hex SHA-256 of the whole model file
 * @param modelType {@code padim} or {@code patchcore}
 * @param backbone the backbone id, for example {@code mobilenet_v2_nsfwjs}
 * @param inputMode {@code resize} or {@code keep-aspect}
 * @param generation 1 for the model loaded at start, incremented by each successful reload
 * @param loadedAt when the model was loaded
 */
public record ModelIdentity(
    String path, String sha256, String modelType, String backbone, String inputMode,
    long generation, Instant loadedAt) {}
