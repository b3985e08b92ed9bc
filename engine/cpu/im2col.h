#pragma once
// Unfolding an image into the columns a convolution multiplies with, and folding back.
// col has C*kh*kw rows and gridH*gridW columns:
//   col[(c*kh + ky)*kw + kx][oy*gridW + ox] = image[c][oy*sh - padTop + ky*dh][ox*sw - padLeft +
//   kx*dw]
// (zero outside the image). Conv2D unfolds its input onto its output grid; Deconv2D, the
// adjoint, folds onto its output from its input grid.

#include "../op.h"

namespace nc::engine::cpu {

void im2col(const float* image, int channels, int height, int width, const Window& w, int gridH,
            int gridW, float* col);
// Adds the columns back into image (which the caller zeroes or accumulates into).
void col2im(const float* col, int channels, int height, int width, const Window& w, int gridH,
            int gridW, float* image);

} // namespace nc::engine::cpu
