#pragma once
// Turns core arrays into display images. Pure functions, safe to call from any thread (QImage, not
// QPixmap), so the compute worker converts before it hands a frame to the UI.
#include "lx/Array.h"
#include "lx/Image8.h"

#include <QImage>
#include <QVector>

#include <cstdint>
#include <vector>

namespace lx::ui {

class ImageConvert {
public:
    // One sample as an image. `sample` is [C, H, W] (C = 1 gives Grayscale8, C = 3 RGB888; C = 2 uses
    // the first channel, C > 3 the first three), [H, W], or flat [F] (reshaped by `outputShape` when
    // given, else a square image if F = S*S or 3*S*S, else a 1-pixel-high strip). Values in
    // [low, high] (the card's output_range) map to [0, 255], clamped. Returns a null image for an
    // empty array.
    static QImage toImage(const lx::Array& sample, double low, double high,
                          const std::vector<int64_t>& outputShape = {});

    // Every sample of a batch (see toImage), in order.
    static QVector<QImage> fromBatchAll(const lx::Array& batch, double low, double high,
                                        const std::vector<int64_t>& outputShape = {});

    // A display image as core's Image8: Grayscale8 stays gray, anything else becomes RGB.
    static lx::Image8 toImage8(const QImage& image);

    // Sample `index` of a batch [N, ...] (see toImage).
    static QImage fromBatch(const lx::Array& batch, int64_t index, double low, double high,
                            const std::vector<int64_t>& outputShape = {});

    // Per-channel thumbnails of a layer's activations for sample `index` of a batch [N, C, ...]:
    // [N, C, H, W] gives an H x W image per channel, [N, C, L] a 1 x L strip, each min-max normalised
    // on its own (a constant channel is mid-grey). A flat layer [N, F] gives one 1 x 1 image per
    // feature, normalised over all features so the grey levels compare. At most `maxChannels`.
    static QVector<QImage> channelThumbnails(const lx::Array& activations, int64_t index, int maxChannels);

    // Min-max normalised Grayscale8 image of h x w floats (row-major).
    static QImage normalizedGray(const float* values, int height, int width);
};

} // namespace lx::ui
