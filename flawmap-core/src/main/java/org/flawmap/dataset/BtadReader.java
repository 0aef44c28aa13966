package org.flawmap.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the BTAD (beanTech Anomaly Detection) layout of one product (01, 02 or 03):
 *
 * <pre>
 * ROOT/train/ok/*                    defect-free training images
 * ROOT/test/ok/*                     defect-free test images
 * ROOT/test/ko/&lt;stem&gt;.&lt;ext&gt;          anomalous test images
 * ROOT/ground_truth/ko/&lt;stem&gt;.&lt;ext&gt;  masks, png or bmp, same stem as the image
 * </pre>
 *
 * <p>The mask's extension may differ from its image's (product 01 has bmp images and png masks).
 * Normal samples get the defect type {@value Sample#GOOD}, anomalous ones {@code ko}, the folder
 * name, because BTAD does not label defect types. Apart from the folder names the rules of
 * {@link MvtecReader} apply.
 */
public final class BtadReader implements DatasetReader {

  private static final TreeLayout LAYOUT = new TreeLayout("BTAD", "ok", List.of("", "_mask"));

  @Override
  public Dataset read(Path root) throws IOException {
    return LAYOUT.read(root);
  }
}
