"""
Input Prompt: Write a function that computes shortest path distances in a weighted graph.
Intention: Route planning exercise.
Functionality: Dijkstra's algorithm with heapq over an adjacency dict {node: [(neighbour, weight)]},
returning the distance to every reachable node.
"""
import heapq


def dijkstra(graph, source):
    distances = {source: 0}
    queue = [(0, source)]
    while queue:
        dist, node = heapq.heappop(queue)
        if dist > distances.get(node, float("inf")):
            continue
        for neighbour, weight in graph.get(node, []):
            candidate = dist + weight
            if candidate < distances.get(neighbour, float("inf")):
                distances[neighbour] = candidate
                heapq.heappush(queue, (candidate, neighbour))
    return distances


GRAPH = {"A": [("B", 1), ("C", 4)], "B": [("C", 2), ("D", 5)], "C": [("D", 1)], "D": []}
assert dijkstra(GRAPH, "A") == {"A": 0, "B": 1, "C": 3, "D": 4}
