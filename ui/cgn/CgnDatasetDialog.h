#pragma once
// "Export counterfactual dataset…": the folder, the number of images N, the counterfactuals per mask
// (each mask gets that many random texture/background draws, as in the paper's generate_data) and the
// dataset seed. The export itself runs in the mixer's task bar (CgnMixerView::exportDataset).
#include "ui/cgn/CgnTypes.h"

#include <QDialog>

class QLineEdit;
class QPushButton;
class QSpinBox;

namespace lx::ui {

class CgnDatasetDialog : public QDialog {
    Q_OBJECT
public:
    CgnDatasetDialog(const CgnExportRequest& defaults, QWidget* parent);

    CgnExportRequest request() const;
    QLineEdit* folderEdit() const { return mFolder; }
    QSpinBox* countBox() const { return mCount; }
    QSpinBox* cfsBox() const { return mCfs; }
    QSpinBox* seedBox() const { return mSeed; }

private:
    void browse();
    void updateOk();

    QLineEdit* mFolder = nullptr;
    QSpinBox* mCount = nullptr;
    QSpinBox* mCfs = nullptr;
    QSpinBox* mSeed = nullptr;
    QPushButton* mOk = nullptr;
};

} // namespace lx::ui
