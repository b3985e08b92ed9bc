#pragma once
// Data specs (DESIGN.md section 5):
//   synthetic:digits[?count=N&seed=S]   built in, 1x28x28, 10 classes (default 10000 images);
//                                       ?rows gives 28x28 sequences of rows
//   synthetic:shapes[?count=N&seed=S]   built in, 3x64x64, 2 classes (default 2000 images)
//   synthetic:sequences[?task=adding|parity|recall|sine&steps=T&count=N&seed=S]
//                                       built in, T x F sequences (syntheticsequences.cpp)
//   mnist:DIR[?rows]                    IDX files (MNIST, Fashion-MNIST), raw or .gz; ?rows
//                                       reads each image as 28 steps of 28 features
//   images:DIR                          one subfolder per class
//   csv:FILE                            numeric features, then a label column
//   text:FILE[?steps=T&stride=S]        UTF-8 text, T characters per sample (default: the
//                                       Input's length) every S (default T); targets are the
//                                       next characters, the vocabulary the file's characters
//   synthetic:text[?count=N&seed=S&steps=T]
//                                       built in, short stories of 38 characters (default
//                                       2000 windows)
// A built-in set takes ?count=1 to 10000000, as far as memory allows: 10^7 digits are 31 GB.

#include "dataset.h"

#include "core/status.h"

#include <string>

namespace nc::engine {

// `sampleDims` is what the graph's Input expects; a dataset that gives something else is
// refused with both shapes named. So is one whose estimated size (datasize.h) is more memory
// than the process has left, before anything is allocated: "synthetic:digits?count=10000000
// needs 31.4 GB of memory, but this machine has 21.3 GB available (...)".
nc::core::Result<Dataset> loadDataset(const std::string& spec, const Dims& sampleDims);
// Sample `index` of `spec` as a set of one row, for a probe: a built-in set draws that sample
// alone; another is loaded whole, as by loadDataset. `index` >= 0; one past the end is an
// error naming the set's size.
nc::core::Result<Dataset> loadSample(const std::string& spec, const Dims& sampleDims,
                                     std::int64_t index);

// "mnist:DIR#12" -> ("mnist:DIR", 12); no '#': index -1.
std::pair<std::string, std::int64_t> splitSampleIndex(const std::string& spec);

} // namespace nc::engine
