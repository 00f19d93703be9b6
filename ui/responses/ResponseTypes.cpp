#include "ui/responses/ResponseTypes.h"

#include "lx/Array.h"

namespace lx::ui {

QVector<float> ResponseMatrixResult::diagonal() const
{
    QVector<float> values;
    for (int i = 0; i < dims; ++i)
        values << at(i, i);
    return values;
}

QString valueSourceName(ValueSource source)
{
    return source == ValueSource::AggregatePosterior ? QStringLiteral("aggregate posterior") : QStringLiteral("prior");
}

QVector<float> floatsOf(const lx::Array& array) { return QVector<float>(array.data().begin(), array.data().end()); }

lx::Array arrayOf(const QVector<float>& values, const std::vector<int64_t>& shape)
{
    return lx::Array(shape, std::vector<float>(values.begin(), values.end()));
}

} // namespace lx::ui
