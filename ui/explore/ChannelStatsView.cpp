#include "ui/explore/ChannelStatsView.h"

#include "lx/Error.h"
#include "ui/compute/ComputeController.h"
#include "ui/explore/ExploreTasks.h"
#include "ui/widgets/ImageStrips.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace lx::ui {
namespace {

const char* const kKey = "explore/channels";
constexpr int kPerRow = 8;

QString number(double v) { return QString::number(v, 'g', 4); }

} // namespace

ChannelStatsView::ChannelStatsView(ComputeController* controller, QWidget* parent)
    : QWidget(parent)
    , mController(controller)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    mHeading = new QLabel(tr("Select channels in the Hybrids tab's Channels panel"), this);
    mHeading->setWordWrap(true);
    layout->addWidget(mHeading);
    auto* controls = new QHBoxLayout;
    mNormalisation = new QComboBox(this);
    mNormalisation->addItem(tr("Per channel"), int(Normalisation::PerChannel));
    mNormalisation->addItem(tr("Shared across the selection"), int(Normalisation::Shared));
    mNormalisation->setToolTip(
        tr("Min–max range of each map on its own, or one range for all shown maps "
           "(so their brightness compares)"));
    mGain = new QDoubleSpinBox(this);
    mGain->setRange(0.25, 16.0);
    mGain->setSingleStep(0.25);
    mGain->setValue(1.0);
    mGain->setPrefix(QStringLiteral("×"));
    mBatch = new QSpinBox(this);
    mBatch->setRange(1, ExploreTasks::kMaxBatch);
    mBatch->setValue(64);
    mBatch->setSuffix(tr(" samples"));
    mBatch->setToolTip(tr("Statistics over the prior samples of seeds 0 .. N-1"));
    auto* exportCsv = new QPushButton(tr("Export CSV…"), this);
    controls->addWidget(new QLabel(tr("Normalise"), this));
    controls->addWidget(mNormalisation);
    controls->addWidget(new QLabel(tr("Gain"), this));
    controls->addWidget(mGain);
    controls->addWidget(new QLabel(tr("Batch"), this));
    controls->addWidget(mBatch);
    controls->addStretch(1);
    controls->addWidget(exportCsv);
    layout->addLayout(controls);
    mStrips = new ImageStrips(this);
    mStrips->clear(tr("The selected channels' activations for z1 appear here"));
    layout->addWidget(mStrips);
    mTable = new QTableWidget(0, 7, this);
    mTable->setHorizontalHeaderLabels({tr("channel"), tr("mean (z1)"), tr("std (z1)"), tr("max (z1)"),
                                       tr("mean (batch)"), tr("std (batch)"), tr("max (batch)")});
    mTable->verticalHeader()->hide();
    mTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    mTable->setMinimumHeight(160);
    layout->addWidget(mTable);

    connect(mNormalisation, &QComboBox::currentIndexChanged, this, &ChannelStatsView::redraw);
    connect(mGain, &QDoubleSpinBox::valueChanged, this, &ChannelStatsView::redraw);
    connect(mBatch, &QSpinBox::valueChanged, this, &ChannelStatsView::post);
    connect(exportCsv, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export channel statistics"),
                                                          QStringLiteral("channels.csv"), tr("CSV files (*.csv)"));
        if (path.isEmpty())
            return;
        try {
            this->exportCsv(path);
            Q_EMIT message(tr("Wrote %1").arg(path));
        } catch (const lx::Error& e) {
            Q_EMIT message(QString::fromStdString(e.what()));
        }
    });
}

void ChannelStatsView::setModel(const ModelSummary& summary)
{
    mSummary = summary;
    mHasModel = summary.layerCount() > 0;
    mData = ChannelViewData();
    mFirstSeq = std::numeric_limits<quint64>::max();
    mStrips->clear(mHasModel ? tr("Computing…") : tr("This model has no layers"));
    mTable->setRowCount(0);
}

void ChannelStatsView::setSelection(int layer, const QVector<int>& channels, quint64 seed1, int class1)
{
    mRequest.layer = layer;
    mRequest.channels = channels;
    mRequest.seed1 = seed1;
    mRequest.class1 = class1;
}

void ChannelStatsView::refresh() { post(); }

void ChannelStatsView::post()
{
    if (!mHasModel || mRequest.layer < 0)
        return;
    if (mRequest.channels.isEmpty()) {
        mHeading->setText(tr("No channels selected: select some in the Channels panel (Hybrids tab)"));
        mStrips->clear(tr("No channels selected"));
        mTable->setRowCount(0);
        return;
    }
    ChannelViewRequest r = mRequest;
    r.batch = mBatch->value();
    TaskHandle* task =
        mController->run(Task::onModel(tr("channel view"), ExploreTasks::channelViewTask(r), mSummary.generation)
                             .latest(QLatin1String(kKey)));
    const quint64 seq = task->id();
    mFirstSeq = std::min(mFirstSeq, seq);
    connect(task, &TaskHandle::finished, this, [this, seq](const QVariant& v) {
        if (seq >= mFirstSeq && v.canConvert<ChannelViewData>())
            show(v.value<ChannelViewData>());
    });
    connect(task, &TaskHandle::failed, this, [this, seq](const QString& error) {
        if (seq >= mFirstSeq) {
            mStrips->clear(error);
            mTable->setRowCount(0);
        }
    });
}

QVector<QImage> ChannelStatsView::mapImages(const lx::Array& maps, Normalisation normalisation, double gain)
{
    QVector<QImage> images;
    if (maps.rank() != 3)
        return images;
    const int64_t k = maps.dim(0), h = maps.dim(1), w = maps.dim(2), plane = h * w;
    const auto range = [&](int64_t from, int64_t to) {
        const auto [lo, hi] = std::minmax_element(maps.ptr() + from, maps.ptr() + to);
        return std::pair<float, float>(*lo, *hi);
    };
    const auto shared = range(0, maps.numel());
    for (int64_t i = 0; i < k; ++i) {
        const auto [lo, hi] = normalisation == Normalisation::Shared ? shared : range(i * plane, (i + 1) * plane);
        QImage image(int(w), int(h), QImage::Format_Grayscale8);
        for (int64_t y = 0; y < h; ++y) {
            uchar* line = image.scanLine(int(y));
            for (int64_t x = 0; x < w; ++x) {
                const float v = maps.ptr()[i * plane + y * w + x];
                const double u = hi > lo ? std::clamp((double(v) - lo) / (double(hi) - lo) * gain, 0.0, 1.0) : 0.5;
                line[x] = static_cast<uchar>(std::lround(u * 255.0));
            }
        }
        images << image;
    }
    return images;
}

QVector<QImage> ChannelStatsView::images() const
{
    return mapImages(mData.maps, static_cast<Normalisation>(mNormalisation->currentData().toInt()), mGain->value());
}

void ChannelStatsView::show(const ChannelViewData& data)
{
    mData = data;
    const int total = int(data.request.channels.size()), visible = int(data.channels.size());
    mHeading->setText(tr("%1 of %2 · z1 = seed %3%4 · batch: seeds 0–%5 · %6 ms")
                          .arg(total == 1 ? tr("1 channel") : tr("%1 channels").arg(total))
                          .arg(mSummary.layerNames.value(data.request.layer))
                          .arg(data.request.seed1)
                          .arg(visible < total ? tr(" (the first %1 shown)").arg(visible) : QString())
                          .arg(data.request.batch - 1)
                          .arg(data.computeMs, 0, 'f', 0));
    mTable->setRowCount(visible);
    for (int i = 0; i < visible; ++i) {
        const lx::ChannelStat& s = data.sample[size_t(i)];
        const lx::ChannelStat& b = data.batch[size_t(i)];
        const QStringList cells{QString::number(s.channel),
                                number(s.mean),
                                number(s.std),
                                number(s.max),
                                number(b.mean),
                                number(b.std),
                                number(b.max)};
        for (int c = 0; c < cells.size(); ++c)
            mTable->setItem(i, c, new QTableWidgetItem(cells[c]));
    }
    redraw();
    Q_EMIT shown();
}

void ChannelStatsView::redraw()
{
    if (mData.channels.isEmpty())
        return;
    const QVector<QImage> all = images();
    QVector<ImageStrips::Row> rows;
    for (int i = 0; i < all.size(); i += kPerRow) {
        const int n = std::min<int>(kPerRow, int(all.size()) - i);
        QStringList names;
        for (int j = i; j < i + n; ++j)
            names << QString::number(mData.channels[j]);
        rows.append({tr("ch %1").arg(names.join(QLatin1Char(' '))), all.mid(i, n)});
    }
    mStrips->setRows(rows);
}

QByteArray ChannelStatsView::csv() const
{
    QByteArray out("layer,channel,mean_z1,std_z1,max_z1,mean_batch,std_batch,max_batch,seed1,batch\n");
    const QByteArray layer = mSummary.layerNames.value(mData.request.layer).toUtf8();
    for (size_t i = 0; i < mData.sample.size(); ++i) {
        const lx::ChannelStat& s = mData.sample[i];
        const lx::ChannelStat& b = mData.batch[i];
        out += layer + ',' + QByteArray::number(s.channel);
        for (double v : {s.mean, s.std, s.max, b.mean, b.std, b.max})
            out += ',' + QByteArray::number(v, 'g', 9);
        out += ',' + QByteArray::number(mData.request.seed1) + ',' + QByteArray::number(mData.request.batch) + '\n';
    }
    return out;
}

void ChannelStatsView::exportCsv(const QString& path) const
{
    if (mData.sample.empty())
        throw lx::Error("no channel statistics yet");
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(csv()) < 0 || !file.commit())
        throw lx::Error(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()).toStdString());
}

} // namespace lx::ui
