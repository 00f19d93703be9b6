#include "ui/widgets/ValueBar.h"

#include <QPainter>

#include <algorithm>

namespace lx::ui {

ValueBar::ValueBar(double range, QWidget* parent)
    : QWidget(parent)
    , mRange(range > 0.0 ? range : 1.0)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setToolTip(tr("Bar: the response R_i(z); tick: the latent z_i (scale ±%1)").arg(mRange));
}

void ValueBar::setValues(double latent, double response)
{
    mLatent = latent;
    mResponse = response;
    mHasResponse = true;
    update();
}

void ValueBar::clearResponse()
{
    mHasResponse = false;
    update();
}

void ValueBar::paintEvent(QPaintEvent* /*event*/)
{
    QPainter painter(this);
    const QRect area = rect().adjusted(1, 2, -1, -2);
    painter.fillRect(area, palette().color(QPalette::Base));
    const auto xOf = [&](double v) {
        const double t = (std::clamp(v, -mRange, mRange) + mRange) / (2 * mRange);
        return area.left() + static_cast<int>(t * area.width());
    };
    const int zero = xOf(0.0);
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawLine(zero, area.top(), zero, area.bottom());
    if (mHasResponse) {
        const int end = xOf(mResponse);
        const QColor fill = mResponse >= 0 ? QColor(0xe8, 0x82, 0x2f) : QColor(0x3d, 0x85, 0xc6);
        painter.fillRect(
            QRect(QPoint(std::min(zero, end), area.top() + 2), QPoint(std::max(zero, end), area.bottom() - 2)), fill);
    }
    painter.setPen(QPen(palette().color(QPalette::WindowText), 2));
    const int tick = xOf(mLatent);
    painter.drawLine(tick, area.top(), tick, area.bottom());
}

} // namespace lx::ui
