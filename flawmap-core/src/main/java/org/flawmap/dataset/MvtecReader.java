package org.flawmap.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the MVTec AD layout of one product:
 *
 * <pre>
 * ROOT/train/good/*                          defect-free training images
 * ROOT/test/good/*                           defect-free test images
 * ROOT/test/&lt;defect type&gt;/&lt;stem&gt;.&lt;ext&gt;         anomalous test images
 * ROOT/ground_truth/&lt;defect type&gt;/&lt;stem&gt;_mask.&lt;ext&gt;
 * ROOT/validation/&lt;good or defect type&gt;/*     optional; masks also in ground_truth/
 * </pre>
 *
 * <p>Images and masks may be png, jpg, jpeg or bmp, in any case, and a mask's extension may
 * differ from its image's. A mask named {@code <stem>.<ext>} is accepted when
 * {@code <stem>_mask.<ext>} is absent. Samples are sorted by id, the path relative to ROOT with
 * forward slashes, and the product is the name of ROOT. Masks use the default threshold of
 * {@link MaskReader}.
 *
 * <p>Every problem is collected before the reader fails, in one {@link DatasetException}:
 * missing {@code train/good} or {@code test}, no images in {@code train/good} or {@code test},
 * a defective image without a mask, and files that are not images. An empty defect-type folder
 * only logs a warning. Hidden and system files are ignored, as docs/datasets.md describes.
 */
public final class MvtecReader implements DatasetReader {

  private static final TreeLayout LAYOUT =
      new TreeLayout("MVTec AD", Sample.GOOD, List.of("_mask", ""));

  @Override
  public Dataset read(Path root) throws IOException {
    return LAYOUT.read(root);
  }
}
