#pragma once
// Dock panel of a layer's channels: a grid of thumbnails (the channel's activation for z1) with their
// indices; the selected channels are the ones taken from z2 in the hybrid.
#include <QImage>
#include <QVector>
#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace lx::ui {

class ChannelPanel : public QWidget {
    Q_OBJECT
public:
    explicit ChannelPanel(QWidget* parent);

    // New set of channels 0..count-1 with the given selection; emits nothing.
    void setChannels(int count, const QVector<int>& selected);
    // Thumbnails for the first channels (fewer than the channel count is fine).
    void setThumbnails(const QVector<QImage>& thumbnails);
    // Selects exactly these channels; emits selectionChanged once if the selection changed.
    void setSelectedChannels(const QVector<int>& channels);

    QVector<int> selectedChannels() const; // ascending
    int channelCount() const;
    QListWidget* list() const { return mList; }
    QString summaryText() const; // "k of C selected"

public Q_SLOTS:
    void selectAll();
    void selectNone();
    void invertSelection();

Q_SIGNALS:
    void selectionChanged(const QVector<int>& channels);

private:
    void onSelectionChanged();
    void updateSummary();

    QListWidget* mList = nullptr;
    QLabel* mSummary = nullptr;
    QPushButton* mAll = nullptr;
    QPushButton* mNone = nullptr;
    QPushButton* mInvert = nullptr;
    QVector<qint64> mThumbnailKeys; // QImage::cacheKey of the thumbnails shown
    QVector<int> mLastEmitted;
};

} // namespace lx::ui
