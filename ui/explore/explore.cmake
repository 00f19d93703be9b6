# Latent exploration: interpolation, channel statistics, PCA directions.
target_sources(lx_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/ChannelStatsView.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ChannelStatsView.h
  ${CMAKE_CURRENT_LIST_DIR}/DirectionsPanel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/DirectionsPanel.h
  ${CMAKE_CURRENT_LIST_DIR}/ExploreTasks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ExploreTasks.h
  ${CMAKE_CURRENT_LIST_DIR}/ExploreTypes.h
  ${CMAKE_CURRENT_LIST_DIR}/ExploreView.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ExploreView.h
)
