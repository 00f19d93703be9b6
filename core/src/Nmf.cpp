#include "lx/Nmf.h"

#include "lx/Error.h"
#include "lx/SplitMix64.h"

#include <Eigen/Dense>
#include <Eigen/SVD>

#include <cmath>

namespace lx {

namespace {

using Matrix = Eigen::MatrixXd;

Matrix toMatrix(const Array& s, int64_t rows)
{
    const int64_t cols = s.numel() / rows;
    Matrix m(rows, cols);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
            m(r, c) = s.data()[static_cast<size_t>(r * cols + c)];
    return m;
}

Array toArray(const Matrix& m)
{
    Array a({m.rows(), m.cols()});
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        for (Eigen::Index c = 0; c < m.cols(); ++c)
            a.data()[static_cast<size_t>(r * m.cols() + c)] = static_cast<float>(m(r, c));
    return a;
}

// NNDSVD (Boutsidis & Gallopoulos 2008), with zeros filled by the data mean ("a" variant) so that
// multiplicative and coordinate updates can move them.
void nndsvda(const Matrix& s, int k, Matrix& w, Matrix& h)
{
    Eigen::BDCSVD<Matrix> svd(s, Eigen::ComputeThinU | Eigen::ComputeThinV);
    const Matrix& u = svd.matrixU();
    const Matrix& v = svd.matrixV();
    const Eigen::VectorXd& sv = svd.singularValues();
    w = Matrix::Zero(s.rows(), k);
    h = Matrix::Zero(k, s.cols());
    w.col(0) = std::sqrt(sv(0)) * u.col(0).cwiseAbs();
    h.row(0) = std::sqrt(sv(0)) * v.col(0).cwiseAbs().transpose();
    for (int j = 1; j < k; ++j) {
        const Eigen::VectorXd x = u.col(j), y = v.col(j);
        const Eigen::VectorXd xp = x.cwiseMax(0.0), xn = (-x).cwiseMax(0.0);
        const Eigen::VectorXd yp = y.cwiseMax(0.0), yn = (-y).cwiseMax(0.0);
        const double xpn = xp.norm(), ypn = yp.norm(), xnn = xn.norm(), ynn = yn.norm();
        const double mp = xpn * ypn, mn = xnn * ynn;
        const bool positive = mp > mn;
        const double sigma = positive ? mp : mn;
        if (sigma <= 0.0)
            continue;
        const double lambda = std::sqrt(sv(j) * sigma);
        w.col(j) = lambda * (positive ? xp / xpn : xn / xnn);
        h.row(j) = lambda * (positive ? yp / ypn : yn / ynn).transpose();
    }
    const double mean = s.mean();
    w = w.unaryExpr([mean](double v) { return v < 1e-12 ? mean : v; });
    h = h.unaryExpr([mean](double v) { return v < 1e-12 ? mean : v; });
}

void randomInit(const Matrix& s, int k, uint64_t seed, Matrix& w, Matrix& h)
{
    // As scikit-learn: |N(0,1)| scaled so that WH has the data's mean.
    SplitMix64 rng(seed);
    const double scale = std::sqrt(s.mean() / k);
    w = Matrix(s.rows(), k);
    h = Matrix(k, s.cols());
    for (Eigen::Index i = 0; i < w.size(); ++i)
        w.data()[i] = scale * std::fabs(rng.normal());
    for (Eigen::Index i = 0; i < h.size(); ++i)
        h.data()[i] = scale * std::fabs(rng.normal());
}

// ||S - WH||_F^2 from small products: ||S||^2 - 2 tr(W^T S H^T) + tr(W^T W H H^T).
double squaredError(double normS2, const Matrix& sht, const Matrix& w, const Matrix& hht)
{
    return std::max(0.0,
                    normS2 - 2.0 * (w.array() * sht.array()).sum() + ((w.transpose() * w).array() * hht.array()).sum());
}

} // namespace

NmfResult Nmf::factorize(const Array& s, const NmfOptions& options, const CancelToken* cancel)
{
    if (s.rank() < 2)
        throw Error("NMF needs a matrix [rows, columns...], got shape " + Array::shapeString(s.shape()));
    s.requireFinite("NMF input");
    for (float v : s.data())
        if (v < 0.0f)
            throw Error("NMF input has negative entries (influence maps are non-negative; check the input)");
    const int64_t rows = s.dim(0), cols = s.numel() / rows;
    if (options.k < 1 || options.k > rows || options.k > cols)
        throw Error("NMF rank k = " + std::to_string(options.k)
                    + " must be between 1 and min(rows, columns) = " + std::to_string(std::min(rows, cols)));
    if (options.maxIterations < 1)
        throw Error("NMF needs at least one iteration");
    const Matrix S = toMatrix(s, rows);
    const double normS2 = S.squaredNorm();
    if (normS2 == 0.0)
        throw Error("NMF input is all zeros: nothing to factorise");
    const int k = options.k;
    Matrix W, H;
    if (options.init == NmfInit::Nndsvda)
        nndsvda(S, k, W, H);
    else
        randomInit(S, k, options.seed, W, H);

    NmfResult result;
    const double eps = 1e-12;
    double previous = std::sqrt(normS2);
    for (int it = 0; it < options.maxIterations; ++it) {
        throwIfCancelled(cancel);
        // W columns, one at a time (H fixed).
        Matrix sht = S * H.transpose();
        Matrix hht = H * H.transpose();
        for (int j = 0; j < k; ++j) {
            if (hht(j, j) <= 0.0)
                continue;
            W.col(j) = (W.col(j) + (sht.col(j) - W * hht.col(j)) / hht(j, j)).cwiseMax(eps);
        }
        // H rows, one at a time (W fixed).
        const Matrix wts = W.transpose() * S;
        const Matrix wtw = W.transpose() * W;
        for (int j = 0; j < k; ++j) {
            if (wtw(j, j) <= 0.0)
                continue;
            H.row(j) = (H.row(j) + (wts.row(j) - wtw.row(j) * H) / wtw(j, j)).cwiseMax(0.0);
        }
        sht = S * H.transpose();
        hht = H * H.transpose();
        const double error = std::sqrt(squaredError(normS2, sht, W, hht));
        result.errorHistory.push_back(error / std::sqrt(normS2));
        result.iterations = it + 1;
        if ((previous - error) / std::sqrt(normS2) < options.tolerance)
            break;
        previous = error;
    }
    const double error = (S - W * H).norm(); // exact, not the expanded form
    result.frobeniusError = error;
    result.relativeError = error / std::sqrt(normS2);
    for (Eigen::Index r = 0; r < W.rows(); ++r) {
        Eigen::Index best = 0;
        W.row(r).maxCoeff(&best);
        result.assignment.push_back(static_cast<int>(best));
    }
    result.w = toArray(W);
    result.h = toArray(H);
    return result;
}

} // namespace lx
