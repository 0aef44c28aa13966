/** Small helpers without a pipeline stage of their own, such as progress reporting. */
package org.flawmap.util;
