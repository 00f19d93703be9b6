#pragma once
// Values of the Explore tab that cross from the compute worker to the UI inside a QVariant:
// the workbench's transform (layer, channels from z2, the layer's edit) applied along an interpolation
// from z1 to z2 and to a grid of prior samples.
#include "lx/Array.h"
#include "lx/ChannelStats.h"
#include "lx/Exploration.h"
#include "lx/LayerEdit.h"

#include <QImage>
#include <QMetaType>
#include <QVector>

namespace lx::ui {

// What the hybrid view does to z1, so other samples can get the same.
struct WorkbenchTransform {
    int layer = -1;
    QVector<int> channels; // from the donor (z2) when the edit is the identity
    lx::LayerEdit edit;
    quint64 seed1 = 1;
    quint64 seed2 = 2;
    int class1 = -1; // class-conditional models: z1's and z2's class (-1: none)
    int class2 = -1;
    bool classFromDonor = false; // the layers after the cut take z2's class
};

// What moves along an interpolation of a class-conditional model: the latent (z1 to z2, z1's class),
// the class (one-hot models: weights (1 - t) e_class1 + t e_class2, z1 fixed) or both.
enum class ClassPath { Latent, Class, Both };

// Frames along z(t) from z1 to z2, t = i / (frames - 1); with `applyTransform`, each frame gets the
// workbench's transform (donor z2), else the plain x(z(t)).
struct InterpolationRequest {
    WorkbenchTransform transform;
    lx::Interpolation mode = lx::Interpolation::Spherical;
    int frames = 9;
    bool applyTransform = false;
    ClassPath classPath = ClassPath::Latent;
};

struct InterpolationData {
    InterpolationRequest request;
    lx::Array latents; // [frames, *latent_shape]
    lx::Array classes; // a class-conditional model's class per frame: indices [frames] or weights [frames, K]
    lx::Array images; // [frames, *output_shape], model units
    QVector<QImage> frames; // display images
    double computeMs = 0.0;
};

// rows x cols prior samples from seeds firstSeed, firstSeed + 1, ... (row-major), drawn with
// `truncation` (0: none; else every value redrawn until |v| <= truncation), their images and the same
// samples under the workbench's transform (donor z2).
struct SampleGridRequest {
    WorkbenchTransform transform;
    quint64 firstSeed = 0;
    int rows = 4;
    int cols = 8;
    double truncation = 0.0;
    // A class-conditional model: one row per class (row r of class r, every row the same seeds firstSeed ..
    // firstSeed + cols - 1; `rows` is then the class count), else every sample of z1's class.
    bool rowPerClass = false;
};

struct SampleGridData {
    SampleGridRequest request;
    lx::Array originals; // [rows * cols, *output_shape]
    lx::Array transformed; // the same samples under the transform
    QVector<QImage> originalImages;
    QVector<QImage> transformedImages;
    double computeMs = 0.0;
};

// The selected channels' activations at the layer for z1 (as the hybrid view computes them, before any
// intervention) and their statistics over z1 and over a batch of prior samples (seeds 0 .. batch-1).
struct ChannelViewRequest {
    int layer = -1;
    QVector<int> channels; // at most ExploreTasks::kMaxViewChannels are shown
    quint64 seed1 = 1;
    int class1 = -1; // z1's class (class-conditional models; the batch's classes as lx::SeedClasses deals them)
    int batch = 64;
};

struct ChannelViewData {
    ChannelViewRequest request;
    QVector<int> channels; // the ones shown
    lx::Array maps; // [channels, H, W] (a flat layer: [channels, 1, 1])
    std::vector<lx::ChannelStat> sample; // over z1's positions
    std::vector<lx::ChannelStat> batch; // over the batch's samples and positions
    double computeMs = 0.0;
};

} // namespace lx::ui

Q_DECLARE_METATYPE(lx::ui::InterpolationData)
Q_DECLARE_METATYPE(lx::ui::ChannelViewData)
Q_DECLARE_METATYPE(lx::ui::SampleGridData)
