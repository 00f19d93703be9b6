#include "lx/Array.h"

#include "lx/Error.h"

#include <cmath>
#include <sstream>

namespace lx {

int64_t Array::product(const std::vector<int64_t>& shape)
{
    int64_t n = 1;
    for (int64_t s : shape) {
        if (s < 0)
            throw Error("negative size in shape " + shapeString(shape));
        n *= s;
    }
    return n;
}

std::string Array::shapeString(const std::vector<int64_t>& shape)
{
    std::ostringstream out;
    out << '[';
    for (size_t i = 0; i < shape.size(); ++i)
        out << (i ? ", " : "") << shape[i];
    out << ']';
    return out.str();
}

Array::Array(std::vector<int64_t> shape)
    : mShape(std::move(shape))
    , mData(static_cast<size_t>(product(mShape)), 0.0f)
{
}

Array::Array(std::vector<int64_t> shape, std::vector<float> data)
    : mShape(std::move(shape))
    , mData(std::move(data))
{
    if (product(mShape) != static_cast<int64_t>(mData.size()))
        throw Error("array of shape " + shapeString(mShape) + " cannot hold " + std::to_string(mData.size())
                    + " values");
}

int64_t Array::dim(int axis) const
{
    if (axis < 0 || axis >= rank())
        throw Error("axis " + std::to_string(axis) + " out of range for shape " + shapeString(mShape));
    return mShape[static_cast<size_t>(axis)];
}

Array Array::rows(int64_t begin, int64_t end) const
{
    const int64_t n = dim(0);
    if (begin < 0 || end > n || begin > end)
        throw Error("rows [" + std::to_string(begin) + ", " + std::to_string(end) + ") out of range for shape "
                    + shapeString(mShape));
    const int64_t stride = n ? numel() / n : 0;
    std::vector<int64_t> shape = mShape;
    shape[0] = end - begin;
    return Array(shape, std::vector<float>(mData.begin() + begin * stride, mData.begin() + end * stride));
}

Array Array::row(int64_t i) const
{
    Array r = rows(i, i + 1);
    return r.reshaped(std::vector<int64_t>(mShape.begin() + 1, mShape.end()));
}

Array Array::reshaped(std::vector<int64_t> shape) const
{
    if (product(shape) != numel())
        throw Error("cannot reshape " + shapeString(mShape) + " to " + shapeString(shape));
    return Array(std::move(shape), mData);
}

Array Array::stack(const std::vector<Array>& items)
{
    if (items.empty())
        return Array({0});
    std::vector<int64_t> shape = items.front().shape();
    std::vector<float> data;
    data.reserve(items.size() * items.front().data().size());
    for (const Array& a : items) {
        if (a.shape() != items.front().shape())
            throw Error("cannot stack arrays of shapes " + shapeString(items.front().shape()) + " and "
                        + shapeString(a.shape()));
        data.insert(data.end(), a.data().begin(), a.data().end());
    }
    shape.insert(shape.begin(), static_cast<int64_t>(items.size()));
    return Array(shape, std::move(data));
}

void Array::requireFinite(const std::string& what) const
{
    for (size_t i = 0; i < mData.size(); ++i) {
        if (!std::isfinite(mData[i]))
            throw Error(what + ": contains NaN or Inf (at flat index " + std::to_string(i) + ")");
    }
}

} // namespace lx
