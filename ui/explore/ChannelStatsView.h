#pragma once
// The channel view: the selected channels' activations at the current layer for z1 as images
// (normalised per channel or shared across the selection, then a gain), and a table of their mean,
// standard deviation and maximum over z1's positions and over a batch of prior samples (seeds 0..N-1).
// Part of the Explore tab; computed on the worker (newest request wins); the table exports as CSV.
#include "ui/explore/ExploreTypes.h"
#include "ui/compute/WorkerTypes.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QTableWidget;

namespace lx::ui {

class ComputeController;
class ImageStrips;

class ChannelStatsView : public QWidget {
    Q_OBJECT
public:
    enum class Normalisation { PerChannel, Shared };

    ChannelStatsView(ComputeController* controller, QWidget* parent);

    void setModel(const ModelSummary& summary);
    void setSelection(int layer, const QVector<int>& channels, quint64 seed1, int class1 = -1);
    void refresh();

    const ChannelViewData& data() const { return mData; }
    QVector<QImage> images() const; // the maps as shown (normalisation and gain applied)
    QComboBox* normalisationBox() const { return mNormalisation; }
    QDoubleSpinBox* gainBox() const { return mGain; }
    QSpinBox* batchBox() const { return mBatch; }
    QTableWidget* table() const { return mTable; }
    ImageStrips* strips() const { return mStrips; }
    // The table as CSV (channel, then mean/std/max over z1 and over the batch). Throws lx::Error.
    void exportCsv(const QString& path) const;
    QByteArray csv() const;

    // Grayscale maps of [k, H, W] values: (v - lo) / (hi - lo) * gain, clamped to [0, 1], with lo/hi per
    // map or over all maps; a constant map is mid-grey.
    static QVector<QImage> mapImages(const lx::Array& maps, Normalisation normalisation, double gain);

Q_SIGNALS:
    void shown();
    void message(const QString& text);

private:
    void post();
    void show(const ChannelViewData& data);
    void redraw();

    ComputeController* mController;
    ModelSummary mSummary;
    bool mHasModel = false;
    ChannelViewRequest mRequest;
    ChannelViewData mData;
    quint64 mFirstSeq = 0;

    QLabel* mHeading = nullptr;
    QComboBox* mNormalisation = nullptr;
    QDoubleSpinBox* mGain = nullptr;
    QSpinBox* mBatch = nullptr;
    ImageStrips* mStrips = nullptr;
    QTableWidget* mTable = nullptr;
};

} // namespace lx::ui
