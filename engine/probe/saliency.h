#pragma once
// Why a classifier chose a class, for one sample. The class score is the log-probability of
// the class (the negative of its cross-entropy loss), so its gradients come from the one
// backward pass the executor already has:
// - saliency: |d score / d input|, the largest over the input's channels, per pixel;
// - Grad-CAM on a conv edge A [C, h, w]: relu(sum_c alpha_c * A_c), alpha_c the mean over
//   the map of d score / d A_c (Selvaraju et al. 2017).
//
//   Result<ClassEvidence> e = classEvidence(model, *backend, x, 7, EdgeRef{conv2, 0});

#include "edgeref.h"

#include "../backend.h"
#include "../model.h"

#include <optional>

namespace nc::engine {

struct ClassEvidence {
    int classIndex = 0;
    float probability = 0; // softmax of the class
    Tensor saliency;       // [H, W] of the input
    Tensor gradCam;        // [h, w] of the edge (empty without one)
};

// x: one sample [1, ...Input.shape] on the host. The model must classify; the edge, when
// given, must carry feature maps [C, h, w].
Result<ClassEvidence> classEvidence(Model& model, Backend& backend, const Tensor& x, int classIndex,
                                    std::optional<EdgeRef> camEdge = {});

// Grad-CAM from a feature map [C, h, w] and d score / d map, same shape: [h, w].
Tensor gradCam(const Tensor& maps, const Tensor& scoreGradient);

} // namespace nc::engine
