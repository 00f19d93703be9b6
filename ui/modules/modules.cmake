# Module discovery and assays (Besserve et al.): modules, hybrid grids, robustness, consistency over K.
target_sources(lx_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/ConsistencyPanel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ConsistencyPanel.h
  ${CMAKE_CURRENT_LIST_DIR}/ConsistencyPlot.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ConsistencyPlot.h
  ${CMAKE_CURRENT_LIST_DIR}/ModuleAssayTypes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ModuleAssayTypes.h
  ${CMAKE_CURRENT_LIST_DIR}/ModuleAssaysView.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ModuleAssaysView.h
  ${CMAKE_CURRENT_LIST_DIR}/ModuleGridCanvas.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ModuleGridCanvas.h
  ${CMAKE_CURRENT_LIST_DIR}/ModuleGridView.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ModuleGridView.h
  ${CMAKE_CURRENT_LIST_DIR}/ModulePlot.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ModulePlot.h
  ${CMAKE_CURRENT_LIST_DIR}/ModuleTasks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ModuleTasks.h
  ${CMAKE_CURRENT_LIST_DIR}/ModuleTypes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ModuleTypes.h
  ${CMAKE_CURRENT_LIST_DIR}/ModulesPanel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ModulesPanel.h
  ${CMAKE_CURRENT_LIST_DIR}/RobustnessPlot.cpp
  ${CMAKE_CURRENT_LIST_DIR}/RobustnessPlot.h
  ${CMAKE_CURRENT_LIST_DIR}/RobustnessView.cpp
  ${CMAKE_CURRENT_LIST_DIR}/RobustnessView.h
)
