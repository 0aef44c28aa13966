/**
 * Local labelling page: a small HTTP server on the JDK's {@code com.sun.net.httpserver} that
 * shows anomalous images with their masks and saves defect categories to a label file, see
 * {@code docs/labels.md}.
 */
package org.flawmap.labels.web;
