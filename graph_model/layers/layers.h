#pragma once
// One factory per layer type (or per family sharing one rule). layerregistry.cpp lists them.

#include "../layerspec.h"

namespace nc::graph::layers {

LayerSpec makeInputSpec();
LayerSpec makeConv2DSpec();
LayerSpec makeDeconv2DSpec();
LayerSpec makeMaxPool2DSpec();
LayerSpec makeAvgPool2DSpec();
LayerSpec makeGlobalAvgPool2DSpec();
LayerSpec makeUpscale2DSpec();
LayerSpec makeDenseSpec();
LayerSpec makeActivationSpec();
LayerSpec makeDropoutSpec();
LayerSpec makeBatchNormSpec();
LayerSpec makeFlattenSpec();
LayerSpec makeReshapeSpec();
LayerSpec makeConcatSpec();
LayerSpec makeAddSpec();
LayerSpec makeSimpleRNNSpec();
LayerSpec makeLSTMSpec();
LayerSpec makeGRUSpec();
LayerSpec makeEmbeddingSpec();
LayerSpec makeSoftmaxCrossEntropySpec();
LayerSpec makeMSESpec();
LayerSpec makeBinaryCrossEntropySpec();

} // namespace nc::graph::layers
