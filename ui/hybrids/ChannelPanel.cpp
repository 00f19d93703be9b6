#include "ui/hybrids/ChannelPanel.h"

#include <QHBoxLayout>
#include <QItemSelection>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>

namespace lx::ui {
namespace {

constexpr int kIconSide = 40;

// The same pixmap in every mode: selection is shown by the item's frame, not by tinting the
// thumbnail (which would hide what the channel looks like).
QIcon untintedIcon(const QPixmap& pixmap)
{
    QIcon icon;
    icon.addPixmap(pixmap, QIcon::Normal);
    icon.addPixmap(pixmap, QIcon::Selected);
    icon.addPixmap(pixmap, QIcon::Active);
    return icon;
}

QIcon blankIcon()
{
    QPixmap pixmap(kIconSide, kIconSide);
    pixmap.fill(QColor(48, 48, 54));
    return untintedIcon(pixmap);
}

// Selected channels (taken from z2) get the warm accent of the z2 side.
const char* const kListStyle =
    "QListView::item { border: 2px solid transparent; border-radius: 4px; padding: 1px;"
    " color: palette(text); }"
    "QListView::item:selected { border: 2px solid #e8822f; background: rgba(240, 138, 60, 70);"
    " color: palette(text); }";

QIcon thumbnailIcon(const QImage& image)
{
    if (image.isNull())
        return blankIcon();
    // Nearest-neighbour: activations are often only a few pixels wide.
    const QImage scaled = image.scaled(kIconSide, kIconSide, Qt::KeepAspectRatio, Qt::FastTransformation);
    QPixmap pixmap(kIconSide, kIconSide);
    pixmap.fill(QColor(48, 48, 54));
    QPainter painter(&pixmap);
    painter.drawImage((kIconSide - scaled.width()) / 2, (kIconSide - scaled.height()) / 2, scaled);
    painter.end();
    return untintedIcon(pixmap);
}

} // namespace

ChannelPanel::ChannelPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 8);
    layout->setSpacing(6);

    auto* bar = new QHBoxLayout;
    bar->setSpacing(6);
    mSummary = new QLabel(this);
    bar->addWidget(mSummary, 1);
    mAll = new QPushButton(tr("All"), this);
    mNone = new QPushButton(tr("None"), this);
    mInvert = new QPushButton(tr("Invert"), this);
    mAll->setToolTip(tr("Take every channel from z2 (the hybrid becomes x(z2))"));
    mNone->setToolTip(tr("Take no channel from z2 (the hybrid becomes x(z1))"));
    mInvert->setToolTip(tr("Swap the selected and unselected channels"));
    for (QPushButton* button : {mAll, mNone, mInvert}) {
        button->setAutoDefault(false);
        bar->addWidget(button);
    }
    layout->addLayout(bar);

    mList = new QListWidget(this);
    mList->setObjectName(QStringLiteral("channelList"));
    mList->setStyleSheet(QLatin1String(kListStyle));
    mList->setViewMode(QListView::IconMode);
    mList->setSelectionMode(QAbstractItemView::ExtendedSelection);
    mList->setMovement(QListView::Static);
    mList->setResizeMode(QListView::Adjust);
    mList->setFlow(QListView::LeftToRight);
    mList->setWrapping(true);
    mList->setUniformItemSizes(true);
    mList->setIconSize(QSize(kIconSide, kIconSide));
    mList->setGridSize(QSize(kIconSide + 14, kIconSide + 22));
    mList->setSpacing(2);
    mList->setToolTip(
        tr("Channels of the layer, shown as their activation for z1. Selected "
           "channels are taken from z2. Click, Ctrl+click, Shift+click or drag."));
    layout->addWidget(mList, 1);

    connect(mList, &QListWidget::itemSelectionChanged, this, &ChannelPanel::onSelectionChanged);
    connect(mAll, &QPushButton::clicked, this, &ChannelPanel::selectAll);
    connect(mNone, &QPushButton::clicked, this, &ChannelPanel::selectNone);
    connect(mInvert, &QPushButton::clicked, this, &ChannelPanel::invertSelection);
    updateSummary();
}

void ChannelPanel::setChannels(int count, const QVector<int>& selected)
{
    {
        const QSignalBlocker blocker(mList);
        mList->clear();
        mThumbnailKeys.clear();
        const QIcon blank = blankIcon();
        for (int c = 0; c < count; ++c) {
            auto* item = new QListWidgetItem(blank, QString::number(c));
            item->setTextAlignment(Qt::AlignHCenter);
            item->setToolTip(tr("Channel %1").arg(c));
            mList->addItem(item);
        }
        for (int c : selected) {
            if (QListWidgetItem* item = mList->item(c))
                item->setSelected(true);
        }
    }
    mLastEmitted = selectedChannels();
    updateSummary();
}

void ChannelPanel::setThumbnails(const QVector<QImage>& thumbnails)
{
    const int count = std::min<int>(static_cast<int>(thumbnails.size()), mList->count());
    QVector<qint64> keys;
    keys.reserve(count);
    for (int c = 0; c < count; ++c)
        keys << thumbnails[c].cacheKey();
    if (keys == mThumbnailKeys)
        return; // same images as before (the worker reuses them while the prefix is cached)
    mThumbnailKeys = keys;
    for (int c = 0; c < count; ++c)
        mList->item(c)->setIcon(thumbnailIcon(thumbnails[c]));
}

void ChannelPanel::setSelectedChannels(const QVector<int>& channels)
{
    QItemSelection selection;
    for (int c : channels) {
        if (c >= 0 && c < mList->count()) {
            const QModelIndex index = mList->model()->index(c, 0);
            selection.select(index, index);
        }
    }
    mList->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

QVector<int> ChannelPanel::selectedChannels() const
{
    QVector<int> channels;
    const QModelIndexList rows = mList->selectionModel()->selectedIndexes();
    channels.reserve(rows.size());
    for (const QModelIndex& index : rows)
        channels << index.row();
    std::sort(channels.begin(), channels.end());
    return channels;
}

int ChannelPanel::channelCount() const { return mList->count(); }

QString ChannelPanel::summaryText() const { return mSummary->text(); }

void ChannelPanel::selectAll() { mList->selectAll(); }

void ChannelPanel::selectNone() { mList->clearSelection(); }

void ChannelPanel::invertSelection()
{
    if (mList->count() == 0)
        return;
    const QModelIndex first = mList->model()->index(0, 0);
    const QModelIndex last = mList->model()->index(mList->count() - 1, 0);
    mList->selectionModel()->select(QItemSelection(first, last), QItemSelectionModel::Toggle);
}

void ChannelPanel::onSelectionChanged()
{
    updateSummary();
    QVector<int> channels = selectedChannels();
    if (channels == mLastEmitted)
        return;
    mLastEmitted = channels;
    Q_EMIT selectionChanged(channels);
}

void ChannelPanel::updateSummary()
{
    const int total = mList->count();
    const int selected = static_cast<int>(mList->selectionModel()->selectedIndexes().size());
    mSummary->setText(total == 0 ? tr("No channels") : tr("%1 of %2 selected").arg(selected).arg(total));
    mAll->setEnabled(total > 0);
    mNone->setEnabled(total > 0);
    mInvert->setEnabled(total > 0);
}

} // namespace lx::ui
