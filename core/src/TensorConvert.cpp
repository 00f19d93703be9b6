#include "TensorConvert.h"

#include <cstring>

namespace lx {

torch::Tensor TensorConvert::toTensor(const Array& array, const torch::Device& device)
{
    torch::Tensor cpu = torch::empty(array.shape(), torch::kFloat32);
    if (array.numel())
        std::memcpy(cpu.data_ptr<float>(), array.ptr(), static_cast<size_t>(array.numel()) * sizeof(float));
    return device.is_cpu() ? cpu : cpu.to(device);
}

Array TensorConvert::toArray(const torch::Tensor& tensor)
{
    torch::Tensor cpu = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    Array out(shapeOf(cpu));
    if (out.numel())
        std::memcpy(out.ptr(), cpu.data_ptr<float>(), static_cast<size_t>(out.numel()) * sizeof(float));
    return out;
}

std::vector<int64_t> TensorConvert::shapeOf(const torch::Tensor& tensor)
{
    return std::vector<int64_t>(tensor.sizes().begin(), tensor.sizes().end());
}

std::vector<int64_t> TensorConvert::sampleShape(const torch::Tensor& tensor)
{
    if (tensor.dim() == 0)
        return {};
    return std::vector<int64_t>(tensor.sizes().begin() + 1, tensor.sizes().end());
}

} // namespace lx
