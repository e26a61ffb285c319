"""
Input Prompt: Implement binary search on a sorted list.
Intention: Classic algorithm exercise.
Functionality: Returns the index of the target in the sorted list, or -1 when it is absent.
"""


def binary_search(items, target):
    low, high = 0, len(items) - 1
    while low <= high:
        mid = (low + high) // 2
        if items[mid] == target:
            return mid
        if items[mid] < target:
            low = mid + 1
        else:
            high = mid - 1
    return -1


if __name__ == "__main__":
    data = [1, 3, 5, 7, 9, 11]
    print(binary_search(data, 7), binary_search(data, 4))
