/**
 * Image decoding into 8-bit RGB and resizing into normalised backbone inputs.
 *
 * <p>{@link org.flawmap.image.ImageDecoder} reads PNG, JPEG and BMP and rejects truncated or
 * corrupt files. {@link org.flawmap.image.Resizer} produces CHW float arrays with an antialiased
 * tent filter.
 */
package org.flawmap.image;
