#pragma once
// Conversions between lx::Array and torch::Tensor. Private to core's .cpp files.
#include "lx/Array.h"

#include <torch/script.h>

namespace lx {

class TensorConvert {
public:
    // A float32 tensor on `device` holding a copy of the array.
    static torch::Tensor toTensor(const Array& array, const torch::Device& device);
    // A copy of the tensor's values (any float dtype, any device) as float32.
    static Array toArray(const torch::Tensor& tensor);
    static std::vector<int64_t> shapeOf(const torch::Tensor& tensor);
    // Per-sample shape: the tensor's shape without its batch axis.
    static std::vector<int64_t> sampleShape(const torch::Tensor& tensor);
};

} // namespace lx
