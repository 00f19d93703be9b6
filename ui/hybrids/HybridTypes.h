#pragma once
// The workbench's hybrid: what the UI asks for (HybridRequest) and what comes back (HybridFrame), the
// values its latest task carries between the UI and the compute worker.
#include "lx/LayerEdit.h"

#include <QImage>
#include <QMetaType>
#include <QVector>

namespace lx::ui {

// One interactive hybrid request: the layer, the channels taken from z2, and the two latent seeds.
// Layer -1 asks for x(z1) and x(z2) only (for models without layers); the frame's hybrid is null.
// `modelGeneration` names the model the request was made for (ModelSummary::generation); a request
// made for another model ends cancelled. 0 means "whatever model is loaded".
// `edit` (interventions): when it is not the identity, the hybrid is x(z1) with the edit applied
// at the layer (HybridEngine::intervene) and `channels` are not swapped; otherwise the hybrid takes
// `channels` from z2 (a copy-donor of those channels).
struct HybridRequest {
    int layer = 0;
    QVector<int> channels;
    lx::LayerEdit edit;
    quint64 seed1 = 0;
    quint64 seed2 = 0;
    int class1 = -1; // class-conditional models: the classes of z1 and z2
    int class2 = -1;
    bool classFromDonor = false; // the layers after the cut take z2's class
    quint64 modelGeneration = 0;
};

// The answer to a HybridRequest: x(z1), the hybrid and x(z2) as display images, plus per-channel
// thumbnails of the layer's activations for z1 (at most HybridTasks::kMaxThumbnails).
struct HybridFrame {
    quint64 seq = 0; // the id of the task that computed it (TaskHandle::id)
    QImage x1;
    QImage hybrid;
    QImage x2;
    QVector<QImage> channelThumbnails;
    int layer = 0;
    qint64 channelCount = 0; // channels of the layer
    int selectedCount = 0; // channels taken from z2
    int interventionCount = 0; // enabled interventions applied (0: a plain channel swap)
    quint64 seed1 = 0;
    quint64 seed2 = 0;
    int class1 = -1; // the classes used (class-conditional models), else -1
    int class2 = -1;
    double computeMs = 0.0; // latents + prefix (when not cached) + hybrid suffix
    bool prefixCached = false; // the activations before the layer were reused
    quint64 modelGeneration = 0;
};

} // namespace lx::ui

Q_DECLARE_METATYPE(lx::ui::HybridFrame)
