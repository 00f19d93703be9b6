#include "ui/hybrids/LayerPanel.h"

#include <QHash>
#include <QHeaderView>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <functional>

namespace lx::ui {

namespace {

constexpr int kLayerRole = Qt::UserRole; // the layer index of a row; -1 for a container that is no layer

// "blocks.1.conv2@2" -> "blocks.1": the container path of a layer name.
QString parentPath(const QString& name)
{
    const QString path = name.section(QLatin1Char('@'), 0, 0);
    const int dot = path.lastIndexOf(QLatin1Char('.'));
    return dot < 0 ? QString() : path.left(dot);
}

} // namespace

LayerPanel::LayerPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 8);
    layout->setSpacing(4);

    mFilter = new QLineEdit(this);
    mFilter->setPlaceholderText(tr("Filter layers"));
    mFilter->setClearButtonEnabled(true);
    mFilter->setToolTip(tr("Show the layers whose name contains this text"));
    layout->addWidget(mFilter);

    mList = new QTreeWidget(this);
    mList->setColumnCount(3);
    mList->setHeaderLabels({tr("Layer"), tr("Type"), tr("Shape")});
    mList->setUniformRowHeights(true);
    mList->setAlternatingRowColors(true);
    mList->setSelectionMode(QAbstractItemView::SingleSelection);
    mList->setAllColumnsShowFocus(true);
    mList->header()->setStretchLastSection(true);
    mList->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    mList->setToolTip(tr("The layer whose channels are swapped between z1 and z2"));
    layout->addWidget(mList);

    connect(mList, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        const int layer = item ? item->data(0, kLayerRole).toInt() : -1;
        if (layer >= 0)
            Q_EMIT layerChanged(layer);
    });
    connect(mFilter, &QLineEdit::textChanged, this, &LayerPanel::applyFilter);
}

void LayerPanel::setLayers(const ModelSummary& summary, int current)
{
    const QSignalBlocker blocker(mList);
    mList->clear();
    mItems.clear();
    mNames = summary.layerNames;
    mShapes = summary.layerShapes;
    // Rows by path; a container that is no layer of its own gets a row for its children.
    QHash<QString, QTreeWidgetItem*> byPath;
    std::function<QTreeWidgetItem*(const QString&)> rowOf = [&](const QString& path) -> QTreeWidgetItem* {
        if (path.isEmpty())
            return nullptr;
        if (QTreeWidgetItem* row = byPath.value(path))
            return row;
        QTreeWidgetItem* parentRow = rowOf(parentPath(path));
        auto* row = new QTreeWidgetItem(QStringList{path});
        row->setData(0, kLayerRole, -1);
        row->setFlags(Qt::ItemIsEnabled);
        row->setForeground(0, palette().color(QPalette::Disabled, QPalette::Text));
        if (parentRow)
            parentRow->addChild(row);
        else
            mList->addTopLevelItem(row);
        byPath.insert(path, row);
        return row;
    };
    for (int i = 0; i < summary.layerCount(); ++i) {
        const QString name = summary.layerNames.value(i);
        const QString type = summary.layerTypes.value(i);
        QTreeWidgetItem* parentRow = rowOf(parentPath(name));
        auto* item = new QTreeWidgetItem(
            QStringList{name, type.isEmpty() ? QStringLiteral("–") : type, shapeText(summary.layerShapes.value(i))});
        item->setData(0, kLayerRole, i);
        item->setToolTip(0, tr("Layer %1 of %2").arg(i).arg(summary.layerCount()));
        if (parentRow)
            parentRow->addChild(item);
        else
            mList->addTopLevelItem(item);
        if (!name.contains(QLatin1Char('@')))
            byPath.insert(name, item); // its submodules' rows go under it
        mItems << item;
    }
    mList->expandAll();
    applyFilter(mFilter->text());
    if (current >= 0 && current < mItems.size()) {
        mList->setCurrentItem(mItems[current]);
        mList->scrollToItem(mItems[current]);
    }
}

void LayerPanel::applyFilter(const QString& text)
{
    // A row stays when it or one of its descendants matches.
    std::function<bool(QTreeWidgetItem*)> visit = [&](QTreeWidgetItem* row) {
        bool keep = text.isEmpty() || row->text(0).contains(text, Qt::CaseInsensitive);
        for (int c = 0; c < row->childCount(); ++c)
            keep = visit(row->child(c)) || keep;
        row->setHidden(!keep);
        return keep;
    };
    for (int i = 0; i < mList->topLevelItemCount(); ++i)
        visit(mList->topLevelItem(i));
}

void LayerPanel::setCurrentLayer(int layer)
{
    if (QTreeWidgetItem* row = item(layer))
        mList->setCurrentItem(row);
}

int LayerPanel::currentLayer() const
{
    QTreeWidgetItem* row = mList->currentItem();
    return row ? row->data(0, kLayerRole).toInt() : -1;
}

int LayerPanel::layerCount() const { return static_cast<int>(mItems.size()); }

qint64 LayerPanel::channelCount(int layer) const
{
    const QVector<qint64> shape = mShapes.value(layer);
    return shape.isEmpty() ? 0 : shape.first();
}

QString LayerPanel::layerName(int layer) const { return mNames.value(layer); }

} // namespace lx::ui
