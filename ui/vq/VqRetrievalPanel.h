#pragma once
// The Codes tab's "Action retrieval" page (CT-VAE, Gendron et al., IJCAI 2023): the image y (its factors,
// or a random true one-step pair from lx::VqPairs with a seed), y itself, and the bars of p(a | x, y)
// over the actions with the true action marked. The view (VqView) owns the logic; this page lays the
// controls out and shows results.
#include "ui/vq/VqTypes.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;

namespace lx::ui {

class ImageView;
class VqFactorPicker;
class VqRetrievalPlot;

class VqRetrievalPanel : public QWidget {
    Q_OBJECT
public:
    explicit VqRetrievalPanel(QWidget* parent);

    // The dataset of the open model (pickers) and whether retrieval can run (else `note` says why).
    void setModel(const VqModelInfo& info);
    void clear();
    void showRetrieval(const VqRetrievalData& data, const VqModelInfo& info);
    void setPairNote(const QString& text);

    VqFactorPicker* targetPicker() const { return mTarget; }
    QPushButton* randomPairButton() const { return mRandomPair; }
    QSpinBox* pairSeedBox() const { return mPairSeed; }
    ImageView* targetView() const { return mTargetView; }
    VqRetrievalPlot* plot() const { return mPlot; }
    QString resultText() const;

Q_SIGNALS:
    void randomPairRequested(quint64 seed);

private:
    VqFactorPicker* mTarget = nullptr;
    QPushButton* mRandomPair = nullptr;
    QSpinBox* mPairSeed = nullptr;
    ImageView* mTargetView = nullptr;
    VqRetrievalPlot* mPlot = nullptr;
    QLabel* mResult = nullptr;
    QLabel* mNote = nullptr;
};

} // namespace lx::ui
