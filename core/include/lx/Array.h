#pragma once
// lx::Array: a dense float32 array with a shape, row-major. It is how data crosses core's public
// boundary (to the UI, the CLI and .npy files); tensors stay inside core's .cpp files.
#include <cstdint>
#include <string>
#include <vector>

namespace lx {

class Array {
public:
    Array() = default;
    explicit Array(std::vector<int64_t> shape); // zero-filled
    Array(std::vector<int64_t> shape, std::vector<float> data); // throws lx::Error on size mismatch

    const std::vector<int64_t>& shape() const { return mShape; }
    int64_t dim(int axis) const;
    int rank() const { return static_cast<int>(mShape.size()); }
    int64_t numel() const { return static_cast<int64_t>(mData.size()); }
    bool empty() const { return mData.empty(); }

    const std::vector<float>& data() const { return mData; }
    std::vector<float>& data() { return mData; }
    const float* ptr() const { return mData.data(); }
    float* ptr() { return mData.data(); }

    // Rows [begin, end) along axis 0.
    Array rows(int64_t begin, int64_t end) const;
    // Row i along axis 0, with axis 0 dropped from the shape.
    Array row(int64_t i) const;
    // Same data, another shape with the same element count (throws otherwise).
    Array reshaped(std::vector<int64_t> shape) const;
    // Stacks equally shaped arrays along a new leading axis.
    static Array stack(const std::vector<Array>& items);

    // Throws lx::Error("<what>: contains NaN or Inf at index i") when a value is not finite.
    void requireFinite(const std::string& what) const;

    bool operator==(const Array& other) const { return mShape == other.mShape && mData == other.mData; }
    bool operator!=(const Array& other) const { return !(*this == other); }

    static std::string shapeString(const std::vector<int64_t>& shape); // "[2, 3, 4]"
    static int64_t product(const std::vector<int64_t>& shape);

private:
    std::vector<int64_t> mShape;
    std::vector<float> mData;
};

} // namespace lx
