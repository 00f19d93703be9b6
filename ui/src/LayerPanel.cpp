#include "lx/ui/LayerPanel.h"

#include <QHeaderView>
#include <QSignalBlocker>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace lx::ui {

LayerPanel::LayerPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 8);
    layout->setSpacing(4);

    mList = new QTreeWidget(this);
    mList->setColumnCount(3);
    mList->setHeaderLabels({tr("Layer"), tr("Type"), tr("Shape")});
    mList->setRootIsDecorated(false);
    mList->setUniformRowHeights(true);
    mList->setAlternatingRowColors(true);
    mList->setSelectionMode(QAbstractItemView::SingleSelection);
    mList->setAllColumnsShowFocus(true);
    mList->header()->setStretchLastSection(true);
    mList->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    mList->setToolTip(tr("The layer whose channels are swapped between z1 and z2"));
    layout->addWidget(mList);

    connect(mList, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (item)
            Q_EMIT layerChanged(mList->indexOfTopLevelItem(item));
    });
}

void LayerPanel::setLayers(const ModelSummary& summary, int current)
{
    const QSignalBlocker blocker(mList);
    mList->clear();
    mNames = summary.layerNames;
    mShapes = summary.layerShapes;
    QList<QTreeWidgetItem*> items;
    for (int i = 0; i < summary.layerCount(); ++i) {
        const QString type = summary.layerTypes.value(i);
        auto* item = new QTreeWidgetItem(
            QStringList{summary.layerNames.value(i), type.isEmpty() ? QStringLiteral("–") : type,
                        shapeText(summary.layerShapes.value(i))});
        item->setToolTip(0, tr("Layer %1 of %2").arg(i).arg(summary.layerCount()));
        items << item;
    }
    mList->addTopLevelItems(items);
    if (current >= 0 && current < items.size()) {
        mList->setCurrentItem(items[current]);
        mList->scrollToItem(items[current]);
    }
}

void LayerPanel::setCurrentLayer(int layer)
{
    if (QTreeWidgetItem* item = mList->topLevelItem(layer))
        mList->setCurrentItem(item);
}

int LayerPanel::currentLayer() const
{
    QTreeWidgetItem* item = mList->currentItem();
    return item ? mList->indexOfTopLevelItem(item) : -1;
}

int LayerPanel::layerCount() const
{
    return mList->topLevelItemCount();
}

qint64 LayerPanel::channelCount(int layer) const
{
    const QVector<qint64> shape = mShapes.value(layer);
    return shape.isEmpty() ? 0 : shape.first();
}

QString LayerPanel::layerName(int layer) const
{
    return mNames.value(layer);
}

} // namespace lx::ui
