#pragma once
// Precompiled header of the core and CLI suites (tests/CMakeLists.txt, lx_share_test_pch): Qt Test and the
// Qt and standard headers most suites include. Only stable headers: a change here rebuilds every suite.
#include <QtTest/QtTest>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>
