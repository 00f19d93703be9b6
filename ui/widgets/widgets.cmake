# Plain widgets any feature may use: image views and strips, colour maps, plots, undo snapshots, the
# session settings of value widgets.
target_sources(lx_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/ColorMap.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ColorMap.h
  ${CMAKE_CURRENT_LIST_DIR}/FrameRate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/FrameRate.h
  ${CMAKE_CURRENT_LIST_DIR}/ImageStrips.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ImageStrips.h
  ${CMAKE_CURRENT_LIST_DIR}/ImageView.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ImageView.h
  ${CMAKE_CURRENT_LIST_DIR}/PlotSupport.cpp
  ${CMAKE_CURRENT_LIST_DIR}/PlotSupport.h
  ${CMAKE_CURRENT_LIST_DIR}/ResponseMatrixPlot.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ResponseMatrixPlot.h
  ${CMAKE_CURRENT_LIST_DIR}/SnapshotCommand.h
  ${CMAKE_CURRENT_LIST_DIR}/ValueBar.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ValueBar.h
  ${CMAKE_CURRENT_LIST_DIR}/ViewSettings.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ViewSettings.h
)
