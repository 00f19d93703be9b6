#pragma once
// A small horizontal gauge for one latent dimension: a bar from 0 to the response R_i(z) and a tick at
// the latent z_i, both on [-range, range] (values beyond are clamped and drawn with an open end).
#include <QWidget>

namespace lx::ui {

class ValueBar : public QWidget {
    Q_OBJECT
public:
    explicit ValueBar(double range, QWidget* parent);

    void setValues(double latent, double response);
    void clearResponse();
    double latent() const { return mLatent; }
    double response() const { return mResponse; }
    bool hasResponse() const { return mHasResponse; }

    QSize sizeHint() const override { return {90, 14}; }
    QSize minimumSizeHint() const override { return {40, 10}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    double mRange;
    double mLatent = 0.0;
    double mResponse = 0.0;
    bool mHasResponse = false;
};

} // namespace lx::ui
