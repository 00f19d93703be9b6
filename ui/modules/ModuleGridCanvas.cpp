#include "ui/modules/ModuleGridCanvas.h"

#include <QPaintEvent>
#include <QPainter>

#include <algorithm>

namespace lx::ui {
namespace {

const QColor kDonorBand(0xe8, 0x82, 0x2f); // z2's accent, as in the channel panel
const QColor kOriginalBand(0x2f, 0x6f, 0xb5);
constexpr int kLabelGap = 6;

} // namespace

ModuleGridCanvas::ModuleGridCanvas(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    clear(tr("Choose a module and seeds, then press Compute grid"));
}

void ModuleGridCanvas::setData(const ModuleGridData& data)
{
    mData = data;
    mHasData = data.rows() > 0 && data.cols() > 0;
    mPlaceholder.clear();
    update();
}

void ModuleGridCanvas::clear(const QString& placeholder)
{
    mData = ModuleGridData();
    mHasData = false;
    mPlaceholder = placeholder;
    update();
}

ModuleGridCanvas::Geometry ModuleGridCanvas::geometry() const
{
    Geometry g;
    if (!mHasData)
        return g;
    const QFontMetrics fm(font());
    const int labelWidth = fm.horizontalAdvance(tr("z1 = %1").arg(99999)) + kLabelGap;
    const int labelHeight = fm.height() + kLabelGap;
    const int cols = mData.cols() + 1, rows = mData.rows() + 1;
    g.gap = 3;
    g.headerGap = 10;
    const int availW = width() - labelWidth - 2 * kLabelGap - (cols - 1) * g.gap - g.headerGap;
    const int availH = height() - labelHeight - 2 * kLabelGap - (rows - 1) * g.gap - g.headerGap;
    g.side = std::clamp(std::min(availW / cols, availH / rows), 4, kMaxTileSide);
    // Whole multiples of the model's pixels when the tiles are at least twice the images.
    const int imageSide = std::max(mData.donors.first().width(), mData.donors.first().height());
    if (imageSide > 0 && g.side >= 2 * imageSide)
        g.side = g.side / imageSide * imageSide;
    const int gridW = cols * g.side + (cols - 1) * g.gap + g.headerGap;
    const int gridH = rows * g.side + (rows - 1) * g.gap + g.headerGap;
    const int left = std::max(kLabelGap + labelWidth, (width() - gridW + labelWidth) / 2);
    const int top = std::max(kLabelGap + labelHeight, (height() - gridH + labelHeight) / 2);
    g.origin = QPoint(left, top);
    return g;
}

int ModuleGridCanvas::tileSide() const { return geometry().side; }

QRect ModuleGridCanvas::tileRect(int row, int col) const
{
    const Geometry g = geometry();
    if (!mHasData || row < 0 || col < 0 || row > mData.rows() || col > mData.cols())
        return {};
    const int x = g.origin.x() + col * (g.side + g.gap) + (col > 0 ? g.headerGap : 0);
    const int y = g.origin.y() + row * (g.side + g.gap) + (row > 0 ? g.headerGap : 0);
    return {x, y, g.side, g.side};
}

void ModuleGridCanvas::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    if (!mHasData) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, mPlaceholder);
        return;
    }
    const Geometry g = geometry();
    const int rows = mData.rows(), cols = mData.cols();
    const int pad = std::max(3, g.headerGap / 2);

    // The bands: donors along the top, originals down the left.
    const QRect firstDonor = tileRect(0, 1), lastDonor = tileRect(0, cols);
    const QRect firstOriginal = tileRect(1, 0), lastOriginal = tileRect(rows, 0);
    QColor donorFill = kDonorBand;
    donorFill.setAlpha(60);
    QColor originalFill = kOriginalBand;
    originalFill.setAlpha(55);
    p.setPen(Qt::NoPen);
    p.setBrush(donorFill);
    p.drawRoundedRect(firstDonor.united(lastDonor).adjusted(-pad, -pad, pad, pad), 4, 4);
    p.setBrush(originalFill);
    p.drawRoundedRect(firstOriginal.united(lastOriginal).adjusted(-pad, -pad, pad, pad), 4, 4);

    // Tiles, nearest-neighbour.
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    const auto drawTile = [&](const QRect& r, const QImage& image, const QColor& frame) {
        if (!image.isNull())
            p.drawImage(r, image);
        p.setPen(QPen(frame, 1));
        p.setBrush(Qt::NoBrush);
        p.drawRect(r.adjusted(0, 0, -1, -1));
    };
    for (int j = 0; j < cols; ++j)
        drawTile(tileRect(0, j + 1), mData.donors[j], kDonorBand);
    for (int i = 0; i < rows; ++i) {
        drawTile(tileRect(i + 1, 0), mData.originals[i], kOriginalBand);
        for (int j = 0; j < cols; ++j)
            drawTile(tileRect(i + 1, j + 1), mData.cell(i, j), palette().color(QPalette::Mid));
    }

    // Labels: column seeds above the donors, row seeds left of the originals ("z2 = 7", or just the
    // seed when the tiles are too narrow for that).
    const QFontMetrics fm(font());
    const auto label = [&](const char* which, quint64 seed, int room) {
        const QString full = tr("%1 = %2").arg(QLatin1String(which)).arg(seed);
        return fm.horizontalAdvance(full) <= room ? full : QString::number(seed);
    };
    p.setPen(kDonorBand.darker(150));
    for (int j = 0; j < cols; ++j) {
        const QRect r = tileRect(0, j + 1);
        p.drawText(QRect(r.left() - g.gap, r.top() - pad - fm.height() - 2, r.width() + 2 * g.gap, fm.height()),
                   Qt::AlignHCenter | Qt::AlignBottom, label("z2", mData.request.colSeeds.value(j), r.width() + g.gap));
    }
    p.setPen(kOriginalBand.darker(140));
    for (int i = 0; i < rows; ++i) {
        const QRect r = tileRect(i + 1, 0);
        p.drawText(QRect(0, r.top(), r.left() - pad - 4, r.height()), Qt::AlignRight | Qt::AlignVCenter,
                   label("z1", mData.request.rowSeeds.value(i), r.left() - pad - 4));
    }
}

} // namespace lx::ui
