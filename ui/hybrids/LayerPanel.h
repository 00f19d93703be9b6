#pragma once
// Dock panel showing the model's layers as its module tree (name, type, per-sample shape): a layer
// inside a container ("blocks.1.conv2" in "blocks.1") is its child, containers expand and collapse,
// and a filter box keeps the rows whose name contains the text (with their parents), for models with
// hundreds of layers. The current layer is the one the hybrids intervene on.
#include "ui/compute/WorkerTypes.h"

#include <QWidget>

class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace lx::ui {

class LayerPanel : public QWidget {
    Q_OBJECT
public:
    explicit LayerPanel(QWidget* parent);

    // Fills the tree and selects `current` without emitting layerChanged.
    void setLayers(const ModelSummary& summary, int current);
    void setCurrentLayer(int layer); // emits layerChanged when it changes
    int currentLayer() const;
    int layerCount() const;
    // Channels of a layer (first entry of its shape), 0 when unknown.
    qint64 channelCount(int layer) const;
    QString layerName(int layer) const;
    QTreeWidget* list() const { return mList; }
    // The row of layer `layer` (null when out of range); rows of containers that are no layer have none.
    QTreeWidgetItem* item(int layer) const { return mItems.value(layer); }
    QLineEdit* filter() const { return mFilter; }

Q_SIGNALS:
    void layerChanged(int layer);

private:
    void applyFilter(const QString& text);

    QLineEdit* mFilter = nullptr;
    QTreeWidget* mList = nullptr;
    QVector<QTreeWidgetItem*> mItems; // per layer index
    QVector<QVector<qint64>> mShapes;
    QStringList mNames;
};

} // namespace lx::ui
