#include "lx/PosteriorMeans.h"

#include "lx/Error.h"
#include "lx/Model.h"

#include <algorithm>
#include <vector>

namespace lx {

Array PosteriorMeans::of(Model& model, const Array& x, const ProgressFn& progress, const CancelToken* cancel)
{
    if (x.rank() < 1 || x.dim(0) < 1)
        throw Error("data: expected images of shape [M, ...], got " + Array::shapeString(x.shape()));
    const int64_t rows = x.dim(0), d = model.card().latentSize();
    std::vector<float> data;
    data.reserve(static_cast<size_t>(rows * d));
    for (int64_t begin = 0; begin < rows; begin += kChunkRows) {
        throwIfCancelled(cancel);
        const int64_t end = std::min(rows, begin + kChunkRows);
        const Array means = model.encodeMean(x.rows(begin, end));
        data.insert(data.end(), means.data().begin(), means.data().end());
        if (progress)
            progress(end, rows);
    }
    return Array({rows, d}, std::move(data));
}

} // namespace lx
