/**
 * The model file: one ZIP archive with the model's arrays, the backbone's ONNX graph and
 * descriptor, and a manifest with settings, calibration, provenance and checksums. Reading
 * rejects another format version, a damaged entry or a truncated file with a message that names
 * the file.
 */
package org.flawmap.model.io;
