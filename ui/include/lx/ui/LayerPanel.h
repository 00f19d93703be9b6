#pragma once
// Dock panel listing the model's layers (name, type, per-sample shape); the current one is the layer
// the hybrids intervene on.
#include "lx/ui/WorkerTypes.h"

#include <QWidget>

class QTreeWidget;

namespace lx::ui {

class LayerPanel : public QWidget {
    Q_OBJECT
public:
    explicit LayerPanel(QWidget* parent);

    // Fills the list and selects `current` without emitting layerChanged.
    void setLayers(const ModelSummary& summary, int current);
    void setCurrentLayer(int layer);   // emits layerChanged when it changes
    int currentLayer() const;
    int layerCount() const;
    // Channels of a layer (first entry of its shape), 0 when unknown.
    qint64 channelCount(int layer) const;
    QString layerName(int layer) const;
    QTreeWidget* list() const { return mList; }

Q_SIGNALS:
    void layerChanged(int layer);

private:
    QTreeWidget* mList = nullptr;
    QVector<QVector<qint64>> mShapes;
    QStringList mNames;
};

} // namespace lx::ui
